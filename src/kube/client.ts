/**
 * The KubeClient over a real API server: REST requests through the kubeconfig's credentials (transport.ts), kinds
 * resolved by discovery (discovery.ts), server-side apply with field manager `launchpad` and force, failures as
 * KubeErrors naming the object (error-map.ts). See docs/adr/0008-cluster-access.md.
 */
import { KubeError, UnknownKindError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { Discovery } from './discovery.js';
import type { RequestSubject } from './error-map.js';
import type { LoadKubeconfigOptions } from './kubeconfig.js';
import { loadKubeconfig } from './kubeconfig.js';
import { listAll } from './list.js';
import { collectionPath, describeCollection, describeObject, objectPath } from './paths.js';
import { Requester, isOk, parseJson } from './requester.js';
import type { HttpMethod, HttpResponse } from './transport.js';
import { Transport, withQuery } from './transport.js';
import type { ApplyOptions, DeleteOptions, KubeClient, ListOptions, ObjectRef, PatchOptions, ResourceInfo, WatchEvent, WatchOptions } from './types.js';
import { runWatch } from './watch.js';

export const DEFAULT_FIELD_MANAGER = 'launchpad';

export interface KubeClientOptions extends LoadKubeconfigOptions {
  /** The field manager of applies, creates and replaces (an apply may name another). @default 'launchpad' */
  readonly fieldManager?: string;
  /** The server ends each watch stream after this many seconds and the watch resumes from where it was. @default 300 */
  readonly watchTimeoutSeconds?: number;
}

/** Loads the kubeconfig (see loadKubeconfig for the order) and returns a client; nothing is sent until it is used. */
export function createKubeClient(options: KubeClientOptions = {}): Promise<KubeClient> {
  try {
    const loaded = loadKubeconfig(options);
    const identity = { server: loaded.server, context: loaded.context, user: loaded.user };
    const requester = new Requester(new Transport(loaded.config, loaded.server), identity);
    return Promise.resolve(
      new ClusterClient({
        requester,
        namespace: loaded.namespace,
        fieldManager: options.fieldManager ?? DEFAULT_FIELD_MANAGER,
        watchTimeoutSeconds: options.watchTimeoutSeconds ?? 300,
      }),
    );
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

interface ClusterClientOptions {
  readonly requester: Requester;
  /** The context's namespace, for namespaced objects that name none. */
  readonly namespace: string;
  readonly fieldManager: string;
  readonly watchTimeoutSeconds: number;
}

/** Where an object lives: its kind's resource, its effective namespace, and its name for messages. */
interface Located {
  readonly info: ResourceInfo;
  readonly namespace: string | undefined;
  readonly subject: string;
}

interface Mutation {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body?: KubeObject;
  readonly contentType?: string;
}

const dryRunParam = (dryRun: boolean | undefined): string | undefined => (dryRun === true ? 'All' : undefined);
const verbOf = (verb: string, dryRun: boolean | undefined): string => (dryRun === true ? `dry-run ${verb}` : verb);

class ClusterClient implements KubeClient {
  private readonly requester: Requester;
  private readonly discovery: Discovery;

  constructor(private readonly options: ClusterClientOptions) {
    this.requester = options.requester;
    this.discovery = new Discovery(options.requester);
  }

  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return this.lookUp(apiVersion, kind, { subject: `${kind} (${apiVersion})`, verb: 'lookup' });
  }

  invalidateDiscovery(): void {
    this.discovery.invalidate();
  }

  apiResources(): Promise<ResourceInfo[]> {
    return this.discovery.resources();
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    // A kind the server does not serve has no objects.
    const located = await this.locate(ref, 'get');
    if (located === undefined) return undefined;
    const what = { subject: located.subject, verb: 'get' };
    const response = await this.requester.send({ method: 'GET', path: objectPath(located.info, located.namespace, ref.name) }, what);
    if (response.status === 404) {
      this.forgetKindIfGone(response);
      return undefined;
    }
    return this.objectFrom(response, what);
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const what = { subject: describeCollection(apiVersion, kind, options.namespace), verb: 'list' };
    const info = await this.lookUp(apiVersion, kind, what);
    if (info === undefined) return [];
    const namespace = info.namespaced ? options.namespace : undefined;
    const { items } = await listAll(this.requester, { info, apiVersion, kind, namespace, labelSelector: options.labelSelector, what });
    return items;
  }

  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const verb = verbOf('apply', options.dryRun);
    const located = await this.locateOrFail(object, verb);
    const name = this.requireName(object, located, verb);
    return await this.mutate(located, verb, {
      method: 'PATCH',
      path: objectPath(located.info, located.namespace, name),
      query: { fieldManager: options.fieldManager ?? this.options.fieldManager, force: String(options.force ?? true), dryRun: dryRunParam(options.dryRun) },
      body: inNamespace(object, located.namespace),
      // JSON is YAML, so the object goes as it is.
      contentType: 'application/apply-patch+yaml',
    });
  }

  async create(object: KubeObject, options: { readonly dryRun?: boolean } = {}): Promise<KubeObject> {
    const verb = verbOf('create', options.dryRun);
    const located = await this.locateOrFail(object, verb);
    return await this.mutate(located, verb, {
      method: 'POST',
      path: collectionPath(located.info, located.namespace),
      query: { fieldManager: this.options.fieldManager, dryRun: dryRunParam(options.dryRun) },
      body: inNamespace(object, located.namespace),
    });
  }

  async patch(ref: ObjectRef, patch: unknown, options: PatchOptions = {}): Promise<KubeObject> {
    const verb = verbOf('patch', options.dryRun);
    const located = await this.locate(ref, verb);
    if (located === undefined) throw unknownKind({ subject: describeObject(ref), verb }, ref);
    const what = { subject: located.subject, verb };
    const contentType = options.type === 'json' ? 'application/json-patch+json' : 'application/merge-patch+json';
    const query = { fieldManager: options.fieldManager ?? this.options.fieldManager, dryRun: dryRunParam(options.dryRun) };
    const path = `${objectPath(located.info, located.namespace, ref.name)}${options.subresource === undefined ? '' : `/${options.subresource}`}`;
    const response = await this.requester.send({ method: 'PATCH', path: withQuery(path, query), body: JSON.stringify(patch), contentType }, what);
    if (response.status === 404) this.forgetKindIfGone(response);
    return this.objectFrom(response, what);
  }

  async replace(object: KubeObject, options: { readonly dryRun?: boolean } = {}): Promise<KubeObject> {
    const verb = verbOf('replace', options.dryRun);
    const located = await this.locateOrFail(object, verb);
    const name = this.requireName(object, located, verb);
    let body = inNamespace(object, located.namespace);
    // Like `kubectl replace`: without a resourceVersion the live one is used, since custom resources refuse an
    // unconditional update; a missing object is created.
    if (body.metadata.resourceVersion === undefined) {
      const live = await this.get({ apiVersion: object.apiVersion, kind: object.kind, name, ...(located.namespace === undefined ? {} : { namespace: located.namespace }) });
      if (live === undefined) return await this.create(object, options);
      body = { ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } };
    }
    return await this.mutate(located, verb, {
      method: 'PUT',
      path: objectPath(located.info, located.namespace, name),
      query: { fieldManager: this.options.fieldManager, dryRun: dryRunParam(options.dryRun) },
      body,
    });
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<void> {
    const located = await this.locate(ref, verbOf('delete', options.dryRun));
    if (located === undefined) return;
    const what = { subject: located.subject, verb: verbOf('delete', options.dryRun) };
    const query = { propagationPolicy: options.propagationPolicy ?? 'Foreground', dryRun: dryRunParam(options.dryRun) };
    const response = await this.requester.send({ method: 'DELETE', path: withQuery(objectPath(located.info, located.namespace, ref.name), query) }, what);
    if (response.status === 404) {
      this.forgetKindIfGone(response);
      return;
    }
    if (!isOk(response)) throw this.requester.failure(what, response);
  }

  async watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<void> {
    if (options.signal.aborted) return;
    const subject = describeCollection(apiVersion, kind, options.namespace);
    const info = await this.lookUp(apiVersion, kind, { subject, verb: 'watch' });
    if (info === undefined) throw unknownKind({ subject, verb: 'watch' }, { apiVersion, kind });
    await runWatch(this.requester, {
      info,
      apiVersion,
      kind,
      namespace: info.namespaced ? options.namespace : undefined,
      labelSelector: options.labelSelector,
      what: { subject, verb: 'watch' },
      signal: options.signal,
      timeoutSeconds: this.options.watchTimeoutSeconds,
      onEvent,
      ...(options.onSynced === undefined ? {} : { onSynced: options.onSynced }),
    });
  }

  async serverVersion(): Promise<string> {
    const what = { subject: `API server ${this.requester.identity.server}`, verb: 'version' };
    const version = (await this.requester.json({ method: 'GET', path: '/version' }, what)) as { gitVersion?: unknown };
    if (typeof version.gitVersion !== 'string') throw new KubeError(what.subject, 'version failed: /version has no gitVersion');
    return version.gitVersion;
  }

  close(): void {
    this.requester.transport.close();
  }

  /** Discovery, with a failure told about the object the caller was after. */
  private async lookUp(apiVersion: string, kind: string, what: RequestSubject): Promise<ResourceInfo | undefined> {
    try {
      return await this.discovery.resourceFor(apiVersion, kind);
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      throw new KubeError(what.subject, `${what.verb} failed: ${error.message}`, {
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.reason === undefined ? {} : { reason: error.reason }),
        errorClass: error.errorClass,
        cause: error,
      });
    }
  }

  private async locate(ref: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string | undefined; readonly name: string }, verb: string): Promise<Located | undefined> {
    const info = await this.lookUp(ref.apiVersion, ref.kind, { subject: describeObject(ref), verb });
    if (info === undefined) return undefined;
    const namespace = info.namespaced ? (ref.namespace ?? this.options.namespace) : undefined;
    return { info, namespace, subject: describeObject({ ...ref, namespace }) };
  }

  private async locateOrFail(object: KubeObject, verb: string): Promise<Located> {
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    const located = await this.locate({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name }, verb);
    if (located !== undefined) return located;
    const subject = describeObject({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name });
    throw unknownKind({ subject, verb }, object);
  }

  private requireName(object: KubeObject, located: Located, verb: string): string {
    const name = object.metadata.name ?? '';
    if (name !== '') return name;
    throw new KubeError(located.subject, `${verb} failed: metadata.name is empty`, { fix: 'name the object; generateName works with create only' });
  }

  private async mutate(located: Located, verb: string, mutation: Mutation): Promise<KubeObject> {
    const what = { subject: located.subject, verb };
    const body = mutation.body === undefined ? {} : { body: JSON.stringify(mutation.body) };
    const contentType = mutation.contentType === undefined ? {} : { contentType: mutation.contentType };
    const response = await this.requester.send({ method: mutation.method, path: withQuery(mutation.path, mutation.query), ...body, ...contentType }, what);
    if (response.status === 404) this.forgetKindIfGone(response);
    return this.objectFrom(response, what);
  }

  private objectFrom(response: HttpResponse, what: RequestSubject): KubeObject {
    if (!isOk(response)) throw this.requester.failure(what, response);
    return parseJson(response, what) as KubeObject;
  }

  /**
   * A 404 that names no object means the resource type itself is gone (a CRD deleted since discovery ran); the next
   * lookup must not trust the cached table.
   */
  private forgetKindIfGone(response: HttpResponse): void {
    try {
      const status = JSON.parse(response.body) as { details?: { name?: unknown } };
      if (typeof status.details?.name === 'string' && status.details.name !== '') return;
    } catch {
      // Not a Status: treat like a missing type.
    }
    this.discovery.invalidate();
  }
}

/** Namespaced objects get the effective namespace; cluster-scoped ones lose a namespace they should not have. */
function inNamespace(object: KubeObject, namespace: string | undefined): KubeObject {
  if (object.metadata.namespace === namespace) return object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  if (namespace === undefined) delete metadata.namespace;
  else metadata.namespace = namespace;
  return { ...object, metadata };
}

function unknownKind(what: RequestSubject, object: { readonly apiVersion: string; readonly kind: string }): UnknownKindError {
  return new UnknownKindError(what.subject, `${what.verb} failed: the API server does not serve kind ${object.kind} in ${object.apiVersion}`, {
    apiVersion: object.apiVersion,
    kind: object.kind,
    fix: 'install its CustomResourceDefinition first (and wait until it is Established), or correct apiVersion/kind',
  });
}
