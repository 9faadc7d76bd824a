/**
 * The built-in catalog: Argo CD's standard trigger names with their usual conditions, and Launchpad's own default
 * templates (message, Slack attachment, email subject, GitHub commit status and deployment where they make
 * sense). A ConfigMap entry of the same name replaces a built-in one, so teams can reword a template or tighten a
 * trigger without copying the rest.
 */
import type { GitHubTemplate, NotificationTemplate, TriggerCondition } from './types.js';

const OPERATION_PHASE = (phases: string): string => `app.status.operationState != nil and app.status.operationState.phase in [${phases}]`;

export const BUILTIN_TRIGGERS: ReadonlyMap<string, readonly TriggerCondition[]> = new Map<string, TriggerCondition[]>([
  ['on-created', [{ when: 'true', oncePer: 'app.metadata.name', send: ['app-created'], description: 'The Application was created' }]],
  ['on-deleted', [{ when: 'app.metadata.deletionTimestamp != nil', oncePer: 'app.metadata.name', send: ['app-deleted'], description: 'The Application is being deleted' }]],
  ['on-deployed', [{
    when: `${OPERATION_PHASE("'Succeeded'")} and app.status.health.status == 'Healthy'`,
    oncePer: 'app.status.operationState?.syncResult?.revision',
    send: ['app-deployed'],
    description: 'A new revision is synced and healthy',
  }]],
  ['on-health-degraded', [{ when: "app.status.health.status == 'Degraded'", send: ['app-health-degraded'], description: 'The Application became Degraded' }]],
  ['on-sync-failed', [{ when: OPERATION_PHASE("'Error', 'Failed'"), send: ['app-sync-failed'], description: 'A sync failed' }]],
  ['on-sync-running', [{ when: OPERATION_PHASE("'Running'"), send: ['app-sync-running'], description: 'A sync started' }]],
  ['on-sync-status-unknown', [{ when: "app.status.sync.status == 'Unknown'", send: ['app-sync-status-unknown'], description: 'The sync status is Unknown' }]],
  ['on-sync-succeeded', [{ when: OPERATION_PHASE("'Succeeded'"), send: ['app-sync-succeeded'], description: 'A sync succeeded' }]],
]);

const APP_LINK = '{{.context.argocdUrl}}/applications/{{.app.metadata.name}}';
const REVISION = '{{if .app.status.operationState}}{{.app.status.operationState.syncResult.revision}}{{else}}{{.app.status.sync.revision}}{{end}}';
const ENVIRONMENT = '{{if .app.spec.destination.name}}{{.app.spec.destination.name}}{{else}}{{.app.spec.destination.namespace}}{{end}}';

/** A Slack attachment: a coloured bar, the application as title (linked), and the facts a reader needs. */
function slackAttachment(color: string, fields: readonly (readonly [string, string])[]): string {
  const fieldJson = fields.map(([title, value]) => `{"title": ${JSON.stringify(title)}, "value": ${JSON.stringify(value)}, "short": true}`).join(', ');
  return `[{"color": "${color}", "title": "{{.app.metadata.name}}", "title_link": "${APP_LINK}", "fields": [${fieldJson}]}]`;
}

const SYNC_FIELDS: readonly (readonly [string, string])[] = [['Sync', '{{.app.status.sync.status}}'], ['Health', '{{.app.status.health.status}}'], ['Revision', REVISION]];

function template(message: string, subject: string, color: string, extra: Partial<NotificationTemplate> = {}): NotificationTemplate {
  return {
    message,
    email: { subject },
    slack: { attachments: slackAttachment(color, SYNC_FIELDS), groupingKey: '{{.app.metadata.name}}' },
    ...extra,
  };
}

function githubStatus(state: string, label: string): GitHubTemplate {
  return { status: { state, label, targetURL: APP_LINK } };
}

export const BUILTIN_TEMPLATES: ReadonlyMap<string, NotificationTemplate> = new Map<string, NotificationTemplate>([
  ['app-created', template('Application {{.app.metadata.name}} now exists and will deploy to {{.app.spec.destination.namespace}}.', 'New application {{.app.metadata.name}}', '#439FE0')],
  ['app-deleted', template('Application {{.app.metadata.name}} is being deleted.', 'Application {{.app.metadata.name}} deleted', '#808080')],
  ['app-deployed', template(
    'Revision ' + REVISION + ' of {{.app.metadata.name}} is live and healthy in ' + ENVIRONMENT + '.',
    '{{.app.metadata.name}} deployed',
    '#18be52',
    { github: { ...githubStatus('success', 'launchpad/{{.app.metadata.name}}'), deployment: { state: 'success', environment: ENVIRONMENT, environmentURL: APP_LINK, logURL: APP_LINK, requiredContexts: [], autoMerge: false } } },
  )],
  ['app-health-degraded', template('{{.app.metadata.name}} is Degraded{{with .app.status.health.message}}: {{.}}{{end}}.', '{{.app.metadata.name}} is degraded', '#f4c030')],
  ['app-sync-failed', template(
    'Syncing {{.app.metadata.name}} failed{{if .app.status.operationState}} at {{.app.status.operationState.finishedAt}}: {{.app.status.operationState.message}}{{end}}.',
    'Sync of {{.app.metadata.name}} failed',
    '#E96D76',
    { github: githubStatus('error', 'launchpad/{{.app.metadata.name}}') },
  )],
  ['app-sync-running', template('Syncing {{.app.metadata.name}} to ' + REVISION + ' started.', 'Sync of {{.app.metadata.name}} started', '#0DADEA', { github: githubStatus('pending', 'launchpad/{{.app.metadata.name}}') })],
  ['app-sync-status-unknown', template('The sync status of {{.app.metadata.name}} is Unknown{{range .app.status.conditions}} — {{.type}}: {{.message}}{{end}}.', '{{.app.metadata.name}}: sync status unknown', '#E96D76')],
  ['app-sync-succeeded', template(
    '{{.app.metadata.name}} synced to ' + REVISION + '{{if .app.status.operationState}} at {{.app.status.operationState.finishedAt}}{{end}}.',
    '{{.app.metadata.name}} synced',
    '#18be52',
    { github: githubStatus('success', 'launchpad/{{.app.metadata.name}}') },
  )],
]);
