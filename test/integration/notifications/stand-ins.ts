/**
 * Stand-ins for Slack's Web API, GitHub's REST API and an SMTP server: real HTTP servers on 127.0.0.1 that check what they receive
 * as the real services would (bot token, JSON body, a GitHub App JWT signed with the App's key) and record it.
 * Each can be told to fail the next requests (429 with Retry-After, 500, an API error).
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

type Failure = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string };

export interface StandIn {
  readonly url: string;
  /** Every request that passed authentication, in order. */
  readonly requests: Recorded[];
  /** Every request, authenticated or not (what an eavesdropper would see). */
  readonly raw: string[];
  /** The next requests fail this way, in order. */
  failNext(...failures: Failure[]): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(handler: (request: IncomingMessage, body: string, response: ServerResponse) => boolean): Promise<{ server: Server; url: string; failures: Failure[]; raw: string[] }> {
  const failures: Failure[] = [];
  const raw: string[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      raw.push(`${request.method ?? ''} ${request.url ?? ''} ${JSON.stringify(request.headers)} ${body}`);
      const failure = failures.shift();
      if (failure !== undefined) {
        response.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(failure.body ?? '{}');
        return;
      }
      handler(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, failures, raw };
}

/** Answers with JSON; returns true so handlers can `return json(…)`. */
function json(response: ServerResponse, status: number, value: unknown): boolean {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  return true;
}

/** Slack: chat.postMessage and chat.update with `Authorization: Bearer <token>` and a JSON body naming a channel. */
export async function startSlack(token: string): Promise<StandIn> {
  const requests: Recorded[] = [];
  let counter = 0;
  const { server, url, failures, raw } = await listen((request, body, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) return json(response, 200, { ok: false, error: 'invalid_auth' });
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return json(response, 200, { ok: false, error: 'invalid_form_data' });
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (typeof parsed.channel !== 'string' || parsed.channel === '') return json(response, 200, { ok: false, error: 'channel_not_found' });
    requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: parsed, raw: body });
    counter++;
    return json(response, 200, { ok: true, channel: `C-${parsed.channel}`, ts: typeof parsed.ts === 'string' ? parsed.ts : `1700000000.${String(counter).padStart(6, '0')}` });
  });
  return { url: `${url}/api/`, requests, raw, failNext: (...items) => failures.push(...items), close: () => new Promise((resolve) => { server.close(() => { resolve(); }); }) };
}

export interface GitHubStandIn extends StandIn {
  readonly privateKeyPem: string;
}

/** Verifies an RS256 JWT against the App's public key and its issuer. */
function validJwt(token: string, publicKeyPem: string, appId: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string; exp?: number };
  const signed = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKeyPem, Buffer.from(signature, 'base64url'));
  return signed && claims.iss === appId && (claims.exp ?? 0) * 1000 > Date.now();
}

/** GitHub: an App installation token for a valid JWT, then statuses and deployments with that token. */
export async function startGitHub(appId: string, installationId: string): Promise<GitHubStandIn> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const installationToken = 'ghs_installation_token_value';
  const requests: Recorded[] = [];
  const deployments: { id: number; ref: string; environment: string }[] = [];
  const { server, url, failures, raw } = await listen((request, body, response) => {
    const path = request.url ?? '';
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (request.method === 'POST' && path === `/app/installations/${installationId}/access_tokens`) {
      if (!validJwt(bearer, publicKeyPem, appId)) return json(response, 401, { message: 'A JSON web token could not be decoded' });
      return json(response, 201, { token: installationToken, expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    }
    if (bearer !== installationToken) return json(response, 401, { message: 'Bad credentials' });
    const parsed = body === '' ? {} : JSON.parse(body) as Record<string, unknown>;
    requests.push({ method: request.method ?? '', path, headers: request.headers, body: parsed, raw: body });
    if (request.method === 'GET' && path.startsWith('/repos/acme/shop/deployments?')) {
      const query = new URL(path, 'http://x').searchParams;
      return json(response, 200, deployments.filter((item) => item.ref === query.get('ref') && item.environment === query.get('environment')));
    }
    if (request.method === 'POST' && path === '/repos/acme/shop/deployments') {
      const created = { id: deployments.length + 1, ref: String(parsed.ref), environment: String(parsed.environment) };
      deployments.push(created);
      return json(response, 201, created);
    }
    return json(response, 201, { id: 1 });
  });
  return { url, requests, raw, privateKeyPem, failNext: (...items) => failures.push(...items), close: () => new Promise((resolve) => { server.close(() => { resolve(); }); }) };
}

export interface ReceivedMail {
  /** Envelope sender and recipients, as the SMTP transaction named them. */
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

export interface SmtpStandIn {
  readonly host: string;
  readonly port: number;
  /** Every mail accepted after a successful AUTH, in order. */
  readonly mails: ReceivedMail[];
  /** Failed AUTH attempts (a wrong username or password). */
  readonly authFailures: string[];
  close(): Promise<void>;
}

/**
 * SMTP: a real server (smtp-server) on 127.0.0.1 that offers STARTTLS with its own self-signed certificate, requires
 * AUTH with the given credentials, refuses the `refused` recipients with `550 mailbox unavailable` (a final 5xx
 * answer, as a real server gives for an unknown mailbox) and parses every accepted mail (mailparser).
 */
export async function startSmtp(credentials: { readonly username: string; readonly password: string }, refused: ReadonlySet<string> = new Set()): Promise<SmtpStandIn> {
  const mails: ReceivedMail[] = [];
  const authFailures: string[] = [];
  const server = new SMTPServer({
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.username && auth.password === credentials.password) {
        callback(null, { user: auth.username });
        return;
      }
      authFailures.push(auth.username ?? '');
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) {
        callback(Object.assign(new Error(`${address.address}: mailbox unavailable`), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push({ from: envelopeFrom, to: session.envelope.rcptTo.map((item) => item.address), subject: parsed.subject ?? '', text: parsed.text ?? '' });
        callback();
      }, (error: unknown) => { callback(error instanceof Error ? error : new Error(String(error))); });
    },
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const port = (server.server.address() as AddressInfo).port;
  return { host: '127.0.0.1', port, mails, authFailures, close: () => new Promise((resolve) => { server.close(() => { resolve(); }); }) };
}
