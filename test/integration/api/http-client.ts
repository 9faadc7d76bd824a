/**
 * A real HTTP client for the API tests: fetch with a cookie jar per origin (as a browser keeps them), the CSRF token
 * sent back like the UI sends it, and redirects followed by hand so the OIDC flow's hops are all visible.
 */
export interface Response {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

export class Browser {
  /** origin → name → { value, attributes } */
  readonly jar = new Map<string, Map<string, { value: string; attributes: string }>>();
  csrfToken: string | undefined;

  constructor(readonly base: string) {}

  cookie(name: string, origin = new URL(this.base).origin): { value: string; attributes: string } | undefined {
    return this.jar.get(origin)?.get(name);
  }

  async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const cookies = [...(this.jar.get(url.origin)?.entries() ?? [])].map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
    if (cookies !== '') headers.cookie = cookies;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.csrf !== false && this.csrfToken !== undefined && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(url, { method, headers, redirect: 'manual', ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    this.store(url.origin, response.headers.getSetCookie());
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** GET following redirects (across origins, cookies per origin); returns every hop. */
  async follow(path: string, maxHops = 10): Promise<Response[]> {
    const hops: Response[] = [];
    let next: string | undefined = new URL(path, this.base).href;
    for (let hop = 0; hop < maxHops && next !== undefined; hop += 1) {
      const response = await this.request('GET', next);
      hops.push(response);
      const location = response.headers.get('location');
      next = response.status >= 300 && response.status < 400 && location !== null ? new URL(location, next).href : undefined;
    }
    return hops;
  }

  /** Reads the CSRF token (and the CSRF cookie) as the UI does first. */
  async session(): Promise<Response> {
    const response = await this.request('GET', '/api/v1/session');
    this.csrfToken = (response.json as { csrfToken?: string }).csrfToken;
    return response;
  }

  async login(username: string, password: string): Promise<Response> {
    await this.session();
    return this.request('POST', '/api/v1/session', { body: { username, password } });
  }

  private store(origin: string, setCookies: readonly string[]): void {
    const cookies = this.jar.get(origin) ?? new Map<string, { value: string; attributes: string }>();
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === '';
      if (expired) cookies.delete(name);
      else cookies.set(name, { value, attributes: attributes.join(';').trim() });
    }
    this.jar.set(origin, cookies);
  }
}
