/**
 * The example platform's notifications for `launchpad up`. The example keeps argocd-notifications-cm under
 * cluster-resources/notifications/, synced by the `cluster-resources` Application — which never syncs on up's
 * simulated cluster without the upstream charts (its ClusterIssuers' CRD comes from cert-manager's chart, and a sync
 * applies nothing when one object is refused). So `up` applies that ConfigMap itself, as written in Git; when the
 * Application does sync later, it takes the object over unchanged.
 *
 * With `--slack-api-url` (a stand-in Slack), `up` also creates argocd-notifications-secret with a stand-in bot
 * token when the namespace has none, so messages flow without a real token; that Secret is marked, and removed again
 * by an `up` without the flag, so a stand-in token is never sent to the real Slack. A Secret the user created is
 * never touched.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LaunchpadError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import { parseYamlDocuments } from '../model/yaml-documents.js';
import { CONFIG_MAP_NAME, SECRET_NAME } from './config.js';

/** The bot token up puts in argocd-notifications-secret for a stand-in Slack: not a secret, and documented. */
export const STAND_IN_SLACK_TOKEN = 'xoxb-launchpad-stand-in';
/** Marks the Secret up created for a stand-in Slack (and may therefore delete). */
export const STAND_IN_ANNOTATION = 'launchpad.dev/stand-in-slack';
const FIELD_MANAGER = 'launchpad-up';

/** The example's notifications ConfigMap file for a root Application file, beside it as in the example. */
export function exampleNotificationsFile(root: string): string {
  return join(dirname(root), 'cluster-resources', 'notifications', `${CONFIG_MAP_NAME}.yaml`);
}

async function readConfigMap(file: string): Promise<KubeObject | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseYamlDocuments(text, file);
  const [first] = parsed.errors;
  if (first !== undefined) throw first;
  const found = parsed.documents.map((document) => document.value)
    .find((value): value is KubeObject => isPlainObject(value) && value.kind === 'ConfigMap' && isPlainObject(value.metadata) && value.metadata.name === CONFIG_MAP_NAME);
  if (found === undefined) throw new LaunchpadError(`${file} holds no ConfigMap named ${CONFIG_MAP_NAME}`, { fix: `restore the file, or remove it if the platform sends no notifications` });
  return found;
}

export interface ExampleNotificationsOptions {
  /** `--slack-api-url` was given: Slack goes to a stand-in, which needs a token but must not get a real one. */
  readonly standInSlack: boolean;
}

/**
 * Applies the example's argocd-notifications-cm in `namespace` and creates (or removes) the stand-in token Secret;
 * returns one line per thing done, for up's progress output. Nothing happens for a root without the file.
 */
export async function installExampleNotifications(client: KubeClient, root: string, namespace: string, options: ExampleNotificationsOptions): Promise<string[]> {
  const file = exampleNotificationsFile(root);
  const configMap = await readConfigMap(file);
  if (configMap === undefined) return [];
  await client.apply({ ...configMap, metadata: { ...configMap.metadata, namespace } }, { fieldManager: FIELD_MANAGER });
  const lines = [`the example's notifications configuration (${CONFIG_MAP_NAME}) applied from ${file}`];
  const secretRef = { apiVersion: 'v1', kind: 'Secret', namespace, name: SECRET_NAME };
  const secret = await client.get(secretRef);
  const ours = secret?.metadata.annotations?.[STAND_IN_ANNOTATION] === 'true';
  if (options.standInSlack) {
    if (secret === undefined) {
      await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET_NAME, namespace, annotations: { [STAND_IN_ANNOTATION]: 'true' } }, type: 'Opaque', stringData: { 'slack-token': STAND_IN_SLACK_TOKEN } });
      lines.push(`${SECRET_NAME} created with the stand-in Slack token ${STAND_IN_SLACK_TOKEN}`);
    } else if (!ours) {
      lines.push(`${SECRET_NAME} exists: its slack-token is sent to the --slack-api-url server`);
    }
    return lines;
  }
  if (ours) {
    // Background: a Secret has no dependents, so nothing waits on a garbage collector to finish the deletion.
    await client.delete(secretRef, { propagationPolicy: 'Background' });
    lines.push(`the stand-in Slack token Secret of an earlier "up --slack-api-url" removed: nothing goes to Slack until ${SECRET_NAME} holds a real slack-token`);
  } else if (secret === undefined) {
    lines.push(`Slack notifications wait for a bot token: kubectl -n ${namespace} create secret generic ${SECRET_NAME} --from-literal=slack-token=xoxb-…`);
  }
  return lines;
}
