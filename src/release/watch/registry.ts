/**
 * The slice of the OCI distribution API a watch needs, over fetch: the tags of a repository (following `Link`
 * pagination) and when an image was built (the manifest's `org.opencontainers.image.created` annotation, else its
 * config's `created`; for an index, its linux/amd64 image or the first one). Auth as registries ask for it: a
 * `401` with `WWW-Authenticate: Bearer realm=…,service=…,scope=…` gets a token from the realm (with the
 * credentials, if any), `Basic` gets the credentials. Creation times are remembered per digest.
 */
import { LaunchpadError } from '../../errors.js';
import type { RegistryCredentials } from './docker-config.js';
import type { ImageName } from './image-ref.js';

const TIMEOUT_MS = 30_000;
const MAX_TAG_PAGES = 100;
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryClientOptions {
  readonly image: ImageName;
  readonly credentials?: RegistryCredentials;
  /** Talk http instead of https (a local registry). @default false */
  readonly plainHTTP?: boolean;
}

interface Manifest {
  readonly mediaType?: string;
  readonly manifests?: readonly { readonly digest: string; readonly platform?: { readonly os?: string; readonly architecture?: string } }[];
  readonly config?: { readonly digest: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RegistryClient {
  listTags(): Promise<string[]>;
  createdAt(tag: string): Promise<Date | undefined>;
}

function parseChallenge(header: string): { readonly scheme: string; readonly params: Record<string, string> } {
  const scheme = header.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) if (match[1] !== undefined) params[match[1]] = match[2] ?? '';
  return { scheme, params };
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const { image } = options;
  const origin = `${options.plainHTTP === true ? 'http' : 'https'}://${image.host}`;
  const created = new Map<string, Date | undefined>();
  let authorization: string | undefined;

  const failure = (what: string, detail: string, fix: string): LaunchpadError => new LaunchpadError(`${image.name}: ${what}: ${detail}`, { fix, errorClass: 'retryable' });

  async function authorize(challenge: string): Promise<void> {
    const { scheme, params } = parseChallenge(challenge);
    if (scheme === 'basic') {
      if (options.credentials === undefined) throw failure('the registry wants credentials', 'none configured', 'log in (docker login) or give a pull Secret');
      authorization = basic(options.credentials);
      return;
    }
    const realm = params.realm;
    if (scheme !== 'bearer' || realm === undefined) throw failure('unknown auth challenge', challenge.split(' ')[0] ?? '', 'the registry asks for an auth Launchpad does not speak');
    const url = new URL(realm);
    if (params.service !== undefined) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${image.repository}:pull`);
    const response = await fetch(url, { headers: options.credentials === undefined ? {} : { authorization: basic(options.credentials) }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw failure('token request refused', `HTTP ${response.status}`, 'check the registry credentials');
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (token === undefined) throw failure('token request', 'no token in the answer', 'check the registry');
    authorization = `Bearer ${token}`;
  }

  async function get(path: string, accept?: string): Promise<Response> {
    const send = (): Promise<Response> => fetch(`${origin}${path}`, { headers: { ...(accept === undefined ? {} : { accept }), ...(authorization === undefined ? {} : { authorization }) }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    let response: Response;
    try {
      response = await send();
      if (response.status === 401) {
        await authorize(response.headers.get('www-authenticate') ?? '');
        response = await send();
      }
    } catch (error) {
      if (error instanceof LaunchpadError) throw error;
      throw failure(`GET ${origin}${path}`, (error as Error).message, 'check the image name and that the registry is reachable');
    }
    if (!response.ok) {
      const fix = response.status === 401 || response.status === 403 ? 'check the registry credentials (docker config or pull Secret)' : response.status === 404 ? 'check the image name' : 'try again later';
      throw failure(`GET ${path}`, `HTTP ${response.status}`, fix);
    }
    return response;
  }

  async function manifest(reference: string): Promise<Manifest> {
    return (await (await get(`/v2/${image.repository}/manifests/${reference}`, MANIFEST_TYPES)).json()) as Manifest;
  }

  async function timeOf(value: Manifest): Promise<Date | undefined> {
    const annotated = value.annotations?.['org.opencontainers.image.created'];
    if (annotated !== undefined && !Number.isNaN(new Date(annotated).getTime())) return new Date(annotated);
    if (value.manifests !== undefined) {
      const chosen = value.manifests.find((entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64') ?? value.manifests[0];
      return chosen === undefined ? undefined : timeOf(await manifest(chosen.digest));
    }
    if (value.config === undefined) return undefined;
    const cached = created.get(value.config.digest);
    if (cached !== undefined) return cached;
    const config = (await (await get(`/v2/${image.repository}/blobs/${value.config.digest}`)).json()) as { created?: string };
    const time = config.created === undefined || Number.isNaN(new Date(config.created).getTime()) ? undefined : new Date(config.created);
    created.set(value.config.digest, time);
    return time;
  }

  return {
    async listTags() {
      const tags: string[] = [];
      let path: string | undefined = `/v2/${image.repository}/tags/list?n=1000`;
      for (let page = 0; path !== undefined && page < MAX_TAG_PAGES; page++) {
        const response = await get(path);
        const body = (await response.json()) as { tags?: string[] | null };
        tags.push(...(body.tags ?? []));
        const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
        path = next === undefined ? undefined : new URL(next, origin).pathname + new URL(next, origin).search;
      }
      return tags;
    },
    async createdAt(tag) {
      // A tag the registry does not have (the values file's current one may come from elsewhere) has no time.
      const probe = await fetch(`${origin}/v2/${image.repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST_TYPES, ...(authorization === undefined ? {} : { authorization }) }, signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(() => undefined);
      if (probe?.status === 404) return undefined;
      return timeOf(await manifest(tag));
    },
  };
}
