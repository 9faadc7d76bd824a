/**
 * One AdmissionReview in, one out: the handler behind the webhook endpoints, apart from HTTP so that it can be
 * reasoned about (and timed) on its own. It always answers. Within the budget it returns the engine's verdict; past
 * the budget, or when the engine throws, a fail-closed endpoint refuses with a message saying what happened and a
 * fail-open one allows with a warning — never a hang that would leave the API server waiting for its own timeout.
 */
import { describeError } from '../../errors.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { EvaluationEnvironment, LoadedPolicy, Operation, PolicyEngine, UserInfo } from '../api.js';
import type { WebhookPath } from './webhook-config.js';
import { parseWebhookPath } from './webhook-config.js';

/** The parts of an AdmissionReview v1 request the handler reads. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind?: { readonly group?: string; readonly version?: string; readonly kind?: string };
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: Operation;
  readonly userInfo?: { readonly username?: string; readonly uid?: string; readonly groups?: readonly string[] };
  readonly object?: KubeObject | null;
  readonly oldObject?: KubeObject | null;
  readonly dryRun?: boolean;
  readonly subResource?: string;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: { readonly code: number; readonly reason: string; readonly message: string };
  readonly warnings?: readonly string[];
  readonly patchType?: 'JSONPatch';
  /** Base64 of the JSON patch. */
  readonly patch?: string;
}

export interface AdmissionReviewOut {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}

/** Thrown for a body that is not an AdmissionReview v1 request; the server answers 400 with the message. */
export class BadReviewError extends Error {}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/** The request of an AdmissionReview v1, or a BadReviewError saying what is wrong with it. */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (!isPlainObject(body) || body.kind !== 'AdmissionReview') throw new BadReviewError('the body is not an AdmissionReview');
  if (body.apiVersion !== 'admission.k8s.io/v1') throw new BadReviewError(`AdmissionReview ${String(body.apiVersion)} is not supported; register the webhook with admissionReviewVersions: [v1]`);
  const request = body.request;
  if (!isPlainObject(request) || typeof request.uid !== 'string' || request.uid === '') throw new BadReviewError('the AdmissionReview has no request.uid');
  if (typeof request.operation !== 'string' || !OPERATIONS.has(request.operation)) throw new BadReviewError(`request.operation ${JSON.stringify(request.operation)} is not CREATE, UPDATE, DELETE or CONNECT`);
  return request as unknown as AdmissionRequest;
}

/** `Deployment/shop/web` (or `Namespace/team-a`) for messages. */
export function describeRequest(request: AdmissionRequest): string {
  const kind = request.kind?.kind ?? request.object?.kind ?? 'object';
  const name = request.name ?? request.object?.metadata.name ?? request.object?.metadata.generateName ?? '';
  return [kind, request.namespace, name].filter((part) => part !== undefined && part !== '').join('/');
}

export interface AdmissionDeps extends EvaluationEnvironment {
  readonly engine: Pick<PolicyEngine, 'validate' | 'mutate'>;
  /** The policies the endpoint evaluates (see policiesFor). */
  readonly policies: readonly LoadedPolicy[];
  /** How long the engine may take before the handler answers without it. */
  readonly budgetMs: number;
  /** Roles and ClusterRoles bound to the requesting user, for a request in `namespace` ('' when cluster-scoped). */
  readonly rolesOf?: (user: { readonly username: string; readonly groups: readonly string[] }, namespace: string) => { readonly roles: readonly string[]; readonly clusterRoles: readonly string[] };
}

function userInfoOf(request: AdmissionRequest, deps: AdmissionDeps): UserInfo {
  const username = request.userInfo?.username ?? '';
  const groups = request.userInfo?.groups ?? [];
  const bound = deps.rolesOf?.({ username, groups }, request.namespace ?? '') ?? { roles: [], clusterRoles: [] };
  return { username, groups, roles: bound.roles, clusterRoles: bound.clusterRoles, ...(request.userInfo?.uid === undefined ? {} : { uid: request.userInfo.uid }) };
}

function denied(uid: string, message: string, warnings: readonly string[] = []): AdmissionResponse {
  return { uid, allowed: false, status: { code: 403, reason: 'Forbidden', message }, ...(warnings.length > 0 ? { warnings } : {}) };
}

function allowed(uid: string, warnings: readonly string[] = []): AdmissionResponse {
  return { uid, allowed: true, ...(warnings.length > 0 ? { warnings } : {}) };
}

// The API server keeps warnings short; a long message would be cut anyway.
const warning = (text: string): string => (text.length > 240 ? `${text.slice(0, 239)}…` : text);

async function evaluate(path: WebhookPath, request: AdmissionRequest, deps: AdmissionDeps): Promise<AdmissionResponse> {
  const input = {
    operation: request.operation,
    object: request.object ?? undefined,
    ...(request.oldObject ? { oldObject: request.oldObject } : {}),
    userInfo: userInfoOf(request, deps),
    dryRun: request.dryRun === true,
    subResource: request.subResource ?? '',
    ...(deps.namespaceLabels === undefined ? {} : { namespaceLabels: deps.namespaceLabels }),
    ...(deps.contextLoader === undefined ? {} : { contextLoader: deps.contextLoader }),
  };
  const route = parseWebhookPath(path);
  if (route?.type === 'mutate') {
    const result = await deps.engine.mutate(deps.policies, input);
    const errors = result.rules.filter((rule) => rule.status === 'error' || rule.status === 'fail').map((rule) => `${rule.policy}/${rule.rule}: ${rule.message}`);
    if (errors.length > 0 && route.failClosed) return denied(request.uid, `${describeRequest(request)}: mutation failed: ${errors.join('; ')}`);
    const warnings = errors.map(warning);
    if (result.patch.length === 0) return allowed(request.uid, warnings);
    return { ...allowed(request.uid, warnings), patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(result.patch), 'utf8').toString('base64') };
  }
  const result = await deps.engine.validate(deps.policies, input);
  const warnings = result.warnings.map(warning);
  if (result.allowed) return allowed(request.uid, warnings);
  return denied(request.uid, `${describeRequest(request)} was refused by policy: ${result.denials.join('; ')}`, warnings);
}

/**
 * Answers one request on `path`: the engine's verdict within `budgetMs`; otherwise (timeout or engine failure) a
 * refusal on a fail-closed path and an allow with a warning on a fail-open one. Never rejects.
 */
export async function answerAdmission(path: WebhookPath, request: AdmissionRequest, deps: AdmissionDeps): Promise<AdmissionResponse> {
  const failClosed = parseWebhookPath(path)?.failClosed ?? true;
  const subject = describeRequest(request);
  if (deps.policies.length === 0) return allowed(request.uid);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => { resolve('timeout'); }, deps.budgetMs);
  });
  try {
    const outcome = await Promise.race([evaluate(path, request, deps), timeout]);
    if (outcome !== 'timeout') return outcome;
    const message = `${subject}: the policies did not answer within ${deps.budgetMs} ms`;
    return failClosed ? denied(request.uid, `${message}; refused because an Enforce policy applies — try again, and check the controller's load`) : allowed(request.uid, [warning(`${message}; allowed (Audit)`)]);
  } catch (error) {
    const message = `${subject}: policy evaluation failed: ${describeError(error)}`;
    return failClosed ? denied(request.uid, message) : allowed(request.uid, [warning(message)]);
  } finally {
    clearTimeout(timer);
  }
}

export function reviewOf(response: AdmissionResponse): AdmissionReviewOut {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
