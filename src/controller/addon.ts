/**
 * Parts of `launchpad controller` that run beside the Application controller — the sealed-secrets unsealer, the
 * policy engine, notifications, ApplicationSets. Each is a controller of its own in Argo CD's or Bitnami's world;
 * here they share one process, one API connection, one leader Lease and one HTTP listener, and each can also be
 * started alone by its own command. An add-on only ever sees this small contract, so adding one never touches the
 * Application controller.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../kube/types.js';
import type { Logger } from './services.js';
import type { SharedInformers } from './shared-informers.js';

export interface AddonContext {
  /** The cluster the controller runs in (Applications, Secrets, policies…). */
  readonly client: KubeClient;
  /** The controller's namespace (`--namespace`). */
  readonly namespace: string;
  readonly log: Logger;
  /** Aborted when the add-on must stop (drain, lost leadership): watches and timers end with it. */
  readonly signal: AbortSignal;
  /** The Prometheus registry served on `/metrics`. */
  readonly registry: Registry;
  /**
   * The controller's watches (Applications, AppProjects, cluster Secrets…), to share instead of opening the same
   * watch again; absent when the add-on runs alone (see `informersFor`).
   */
  readonly informers?: SharedInformers;
}

export interface ControllerAddon {
  /** Short name for logs and `/readyz` (`sealed-secrets`, `policies`…). */
  readonly name: string;
  /**
   * Called once when this process leads (at once without leader election): starts watches and loops and resolves
   * when they are running. A rejection is logged and the add-on stays stopped; the other parts keep running.
   */
  start(context: AddonContext): Promise<void>;
  /** Stops taking work and resolves when nothing more will be written. */
  stop(): Promise<void>;
  /**
   * HTTP routes on `--listen`, registered before the server starts and served by standbys too. They are
   * registered inside an encapsulated Fastify plugin: body parsers added there apply to these routes only (the
   * controller's own routes take raw bytes).
   */
  routes?(app: FastifyInstance): void;
}
