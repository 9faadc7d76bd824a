/**
 * One poll of `launchpad release watch`: for each watched app, list the image's tags, let its policy pick one,
 * and release it through set-image's path (direct push or pull request) when it is newer than what the values
 * file holds and has not been released before. Each app is handled on its own: a registry or push failure is
 * reported for that app and retried at the next poll; the others go on.
 */
import { describeError } from '../../errors.js';
import { releaseId } from '../commit-message.js';
import { compileAllowTags } from '../image-version.js';
import { DEFAULT_KEY, parseKeyPath } from '../key-path.js';
import { setImage } from '../set-image.js';
import type { PreviewRequest, SetImageResult } from '../types.js';
import { readScalar } from '../values-edit.js';
import { valuesFilePath } from '../values-file.js';
import { openValuesRepo } from '../values-repo.js';
import type { WatchConfig, WatchedApp } from './config.js';
import type { CredentialLookup } from './credentials.js';
import { chooseTag, isNewer } from './policy.js';
import { createRegistryClient } from './registry.js';
import type { WatchState } from './state.js';

export type AppOutcome = 'released' | 'up-to-date' | 'handled' | 'no-tag' | 'nothing-to-do' | 'error';

export interface AppReport {
  readonly app: string;
  readonly cluster?: string;
  readonly image: string;
  readonly outcome: AppOutcome;
  /** The tag the policy picked. */
  readonly tag?: string;
  /** The value in the values file before. */
  readonly current?: string;
  readonly message: string;
  readonly result?: SetImageResult;
}

export interface PollDependencies {
  readonly credentials: CredentialLookup;
  readonly state: WatchState;
  readonly preview?: PreviewRequest;
  readonly onEvent?: (message: string) => void;
}

function where(app: WatchedApp): string {
  return app.cluster === undefined ? app.app : `${app.app} on ${app.cluster}`;
}

/** The values every watched app's file holds at the branch's tip (one fetch for the whole poll). */
async function currentValues(config: WatchConfig): Promise<{ readonly branch: string; readonly values: Map<WatchedApp, string | undefined> }> {
  const repo = await openValuesRepo({ repo: config.repository });
  try {
    const branch = config.branch ?? (await repo.defaultBranch());
    const tip = await repo.fetchTip(branch);
    const values = new Map<WatchedApp, string | undefined>();
    for (const app of config.apps) {
      const file = tip === undefined ? undefined : await repo.readFile(tip, valuesFilePath(app));
      values.set(app, file === undefined ? undefined : readScalar(file.text, parseKeyPath(app.key ?? DEFAULT_KEY)));
    }
    return { branch, values };
  } finally {
    await repo.close();
  }
}

interface AppContext {
  readonly config: WatchConfig;
  readonly deps: PollDependencies;
  readonly branch: string;
  readonly current: string | undefined;
}

async function release(app: WatchedApp, tag: string, context: AppContext): Promise<SetImageResult> {
  const { config, deps } = context;
  const optional = { cluster: app.cluster, file: app.file, key: app.key, allowTags: app.allowTags, author: config.author, pullRequest: config.pullRequest, preview: deps.preview, onEvent: deps.onEvent };
  const given = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return setImage({ ...given, repo: config.repository, branch: context.branch, app: app.app, tag, ciURL: `launchpad release watch (${app.image.name}:${tag})` });
}

async function pollApp(app: WatchedApp, context: AppContext): Promise<AppReport> {
  const base = { app: app.app, ...(app.cluster === undefined ? {} : { cluster: app.cluster }), image: app.image.name, ...(context.current === undefined ? {} : { current: context.current }) };
  const client = createRegistryClient({ image: app.image, plainHTTP: context.config.plainHTTP.includes(app.image.host), ...await credentialsFor(app, context.deps.credentials) });
  const tags = await client.listTags();
  const choice = await chooseTag(app.policy, tags, { createdAt: (tag) => client.createdAt(tag), ...(app.allowTags === undefined ? {} : { allowTags: compileAllowTags(app.allowTags) }) });
  if (choice === undefined) return { ...base, outcome: 'no-tag', message: `${where(app)}: none of ${tags.length} tags of ${app.image.name} fits the policy` };
  const id = releaseId({ ...app, file: valuesFilePath(app), key: app.key ?? DEFAULT_KEY });
  const withTag = { ...base, tag: choice.tag };
  if (context.deps.state.handled(id, choice.tag)) return { ...withTag, outcome: 'handled', message: `${where(app)}: ${choice.tag} was released before; not again` };
  if (context.current !== undefined && !(await isNewer(app.policy, choice, context.current, (tag) => client.createdAt(tag)))) {
    return { ...withTag, outcome: 'up-to-date', message: `${where(app)}: ${context.current} is current (policy picks ${choice.tag})` };
  }
  const result = await release(app, choice.tag, context);
  await context.deps.state.record(id, choice.tag);
  const released = result.outcome === 'updated' || result.outcome === 'pull-request';
  return { ...withTag, outcome: released ? 'released' : 'nothing-to-do', message: result.message, result };
}

async function credentialsFor(app: WatchedApp, lookup: CredentialLookup): Promise<{ credentials?: { username: string; password: string } }> {
  const found = await lookup(app.image.credentialHost);
  return found === undefined ? {} : { credentials: found };
}

/** Checks every app once. */
export async function pollOnce(config: WatchConfig, deps: PollDependencies): Promise<AppReport[]> {
  const { branch, values } = await currentValues(config);
  const reports: AppReport[] = [];
  for (const app of config.apps) {
    try {
      reports.push(await pollApp(app, { config, deps, branch, current: values.get(app) }));
    } catch (error) {
      reports.push({ app: app.app, ...(app.cluster === undefined ? {} : { cluster: app.cluster }), image: app.image.name, outcome: 'error', message: `${where(app)}: ${describeError(error)}` });
    }
  }
  return reports;
}
