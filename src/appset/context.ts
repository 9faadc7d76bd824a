/**
 * What generators need from the world, behind one seam: the controller implements it over the cluster and the
 * source cache; the offline preview over the files of a repository and launchpad.yaml. Generators never reach the
 * network or the API server any other way.
 */
import type { KubeObject } from '../model/resource.js';

/** A repository at one commit, as the git generator reads it. */
export interface GitTree {
  /** The commit the revision resolved to ("" for a working tree that is not a git repository). */
  readonly sha: string;
  /** Every directory, relative to the root, in lexical walk order; hidden directories (`.x`) and their content left out. */
  directories(): Promise<readonly string[]>;
  /** Every file, relative to the root (hidden ones included, `.git` excluded). */
  files(): Promise<readonly string[]>;
  read(path: string): Promise<string>;
}

export interface GeneratorContext {
  /** The ApplicationSet's namespace: where cluster Secrets, token Secrets and ConfigMaps are read. */
  readonly namespace: string;
  /** The offline preview: pull request and SCM provider generators are skipped (and said so), not run. */
  readonly offline: boolean;
  /** Secrets labelled `argocd.argoproj.io/secret-type: cluster`. */
  clusterSecrets(): Promise<readonly KubeObject[]>;
  git(repoURL: string, revision: string): Promise<GitTree>;
  /** One key of a Secret (a token for an SCM API); throws naming the Secret and key when missing. */
  secretValue(name: string, key: string): Promise<string>;
  configMap(name: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Objects of a duck-typed resource (`clusterDecisionResource`), by plural resource name. */
  listResources(apiVersion: string, resource: string, labelSelector: string | undefined): Promise<readonly KubeObject[]>;
}

/** Raised by a generator that cannot run offline; the preview reports it as a skip, not a failure. */
export class GeneratorSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'GeneratorSkipped';
  }
}
