/**
 * JSON Schemas of the API's requests and responses: Fastify validates requests with them and @fastify/swagger
 * publishes them in /api/v1/openapi.json, so the document and the behaviour cannot drift apart. Objects that come
 * from Kubernetes as they are (an Application, a manifest) are open (`additionalProperties: true`).
 */
const open = { type: 'object', additionalProperties: true } as const;
const str = { type: 'string' } as const;
const strings = { type: 'array', items: str } as const;

const sessionUser = {
  type: 'object',
  properties: { name: str, sub: str, groups: strings, via: { type: 'string', enum: ['local', 'oidc', 'token'] }, roles: strings },
  required: ['name', 'sub', 'groups', 'via'],
} as const;

const permissions = {
  type: 'object',
  description: 'what the caller may do to this application (applications RBAC on project/name: sync for sync, rollback and terminate; get for refresh; delete; override)',
  properties: { sync: { type: 'boolean' }, rollback: { type: 'boolean' }, refresh: { type: 'boolean' }, terminate: { type: 'boolean' }, delete: { type: 'boolean' }, override: { type: 'boolean' } },
  required: ['sync', 'rollback', 'refresh', 'terminate', 'delete', 'override'],
} as const;

const appSummary = {
  type: 'object',
  description: 'An application as lists and the event stream show it.',
  additionalProperties: true,
  properties: {
    name: str, namespace: str, project: str,
    labels: { type: 'object', additionalProperties: str },
    createdAt: str,
    sources: { type: 'array', items: { type: 'object', properties: { repoURL: str, path: str, chart: str, targetRevision: str } } },
    destination: { type: 'object', properties: { server: str, name: str, namespace: str } },
    sync: { type: 'object', properties: { status: str, revisions: strings } },
    health: { type: 'object', properties: { status: str, message: str } },
    operation: { type: 'object', properties: { phase: str, message: str, startedAt: str, finishedAt: str, requested: { type: 'boolean' } } },
    conditions: { type: 'array', items: { type: 'object', properties: { type: str, message: str } } },
    automated: { type: 'boolean' }, reconciledAt: str, resourceCount: { type: 'integer' }, deleting: { type: 'boolean' }, resourceVersion: str,
    permissions: { ...permissions, description: 'in the list: what the caller may do to it (not in the event stream)' },
  },
} as const;

const nodeRef = { type: 'object', properties: { group: str, kind: str, namespace: str, name: str, uid: str } } as const;

const resourceSelector = {
  type: 'object',
  properties: { group: { type: 'string', description: 'empty for the core group' }, kind: str, name: str, namespace: str },
  required: ['kind', 'name'],
  additionalProperties: false,
} as const;

export const S = {
  error: { type: 'object', properties: { error: str, fix: str }, required: ['error'] },
  session: {
    type: 'object',
    properties: {
      user: { anyOf: [sessionUser, { type: 'null' }] },
      csrfToken: { type: 'string', description: `send it back in the x-csrf-token header of every POST/PUT/PATCH/DELETE made with the session cookie` },
      oidc: { anyOf: [{ type: 'object', properties: { name: str, loginUrl: str } }, { type: 'null' }] },
    },
  },
  sessionUser,
  login: { type: 'object', properties: { username: { type: 'string', minLength: 1, maxLength: 253 }, password: { type: 'string', minLength: 1, maxLength: 1024 } }, required: ['username', 'password'], additionalProperties: false },
  appName: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$' } }, required: ['name'] },
  appQuery: {
    type: 'object',
    properties: {
      project: { type: 'string', description: 'comma-separated projects' },
      cluster: { type: 'string', description: 'comma-separated destination servers or cluster names' },
      namespace: { type: 'string', description: 'comma-separated destination namespaces' },
      sync: { type: 'string', description: 'comma-separated sync statuses (Synced, OutOfSync, Unknown)' },
      health: { type: 'string', description: 'comma-separated health statuses' },
      labels: { type: 'string', description: 'label selector (team=web,tier in (a,b))' },
      search: { type: 'string', description: 'substring of the name or a source' },
    },
  },
  appList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: appSummary },
      total: { type: 'integer', description: 'applications the caller may see, before filtering' },
      counts: { type: 'object', properties: { sync: { type: 'object', additionalProperties: { type: 'integer' } }, health: { type: 'object', additionalProperties: { type: 'integer' } } } },
    },
  },
  appSummary,
  application: { ...open, description: 'the Application object (without managedFields), with the caller\'s permissions on it', properties: { permissions } },
  permissions,
  resourceQuery: {
    type: 'object',
    properties: { group: { type: 'string', default: '', description: 'empty for the core group' }, version: str, kind: { type: 'string', minLength: 1 }, namespace: { type: 'string', default: '' }, name: { type: 'string', minLength: 1 } },
    required: ['kind', 'name'],
  },
  resource: { type: 'object', properties: { manifest: { ...open, description: 'the live object (without managedFields, Secret values hidden)' } }, required: ['manifest'] },
  canIParams: { type: 'object', properties: { resource: str, action: str, subresource: { type: 'string', description: 'the RBAC object, e.g. project/app' } }, required: ['resource', 'action', 'subresource'] },
  canI: { type: 'object', properties: { value: { type: 'string', enum: ['yes', 'no'] } }, required: ['value'] },
  tree: {
    type: 'object',
    properties: {
      application: str,
      nodes: {
        type: 'array',
        items: {
          type: 'object', additionalProperties: true,
          properties: { group: str, version: str, kind: str, namespace: str, name: str, uid: str, app: str, status: str, managed: { type: 'boolean' }, requiresPruning: { type: 'boolean' }, syncWave: { type: 'integer' }, createdAt: str, images: strings, health: { type: 'object', properties: { status: str, message: str } }, parentRefs: { type: 'array', items: nodeRef } },
        },
      },
    },
  },
  managedResources: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: { type: 'object', additionalProperties: true, properties: { group: str, version: str, kind: str, namespace: str, name: str, status: str, health: { type: 'object', properties: { status: str, message: str } }, requiresPruning: { type: 'boolean' }, syncWave: { type: 'integer' }, live: { anyOf: [open, { type: 'null' }] } } },
      },
    },
  },
  manifests: { type: 'object', properties: { source: { type: 'string', enum: ['desired', 'live'] }, items: { type: 'array', items: open } } },
  manifestQuery: { type: 'object', properties: { source: { type: 'string', enum: ['desired', 'live'], default: 'desired' } } },
  diff: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { group: str, kind: str, namespace: str, name: str, status: str, diff: str, error: str } } } } },
  events: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { type: str, reason: str, message: str, count: { type: 'integer' }, firstTimestamp: str, lastTimestamp: str, involvedObject: nodeRef } } } } },
  history: { type: 'object', properties: { items: { type: 'array', items: open } } },
  syncRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      revision: { type: 'string', minLength: 1 },
      prune: { type: 'boolean' },
      dryRun: { type: 'boolean' },
      resources: { type: 'array', items: resourceSelector, description: 'sync only these (each must be one of the application\'s resources)' },
      syncOptions: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*=.+$' }, description: 'Key=Value, e.g. CreateNamespace=true' },
    },
  },
  refreshRequest: { type: 'object', additionalProperties: false, properties: { type: { type: 'string', enum: ['normal', 'hard'], default: 'normal' } } },
  rollbackRequest: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer', minimum: 0 }, prune: { type: 'boolean' }, dryRun: { type: 'boolean' } } },
  deleteQuery: { type: 'object', properties: { cascade: { type: 'string', enum: ['foreground', 'background', 'orphan', 'true', 'false'], default: 'foreground', description: 'foreground/background: the controller deletes the resources first (resources finalizer); orphan (or false): they stay' } } },
  accepted: { type: 'object', properties: { application: appSummary, message: str } },
  projects: { type: 'object', properties: { items: { type: 'array', items: open } } },
  clusters: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { name: str, server: str, secretName: str, authentication: str } } } } },
  repositories: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { url: str, type: str, name: str, project: str, secretName: str, template: { type: 'boolean' }, hasCredentials: { type: 'boolean' } } } } } },
  open,
} as const;
