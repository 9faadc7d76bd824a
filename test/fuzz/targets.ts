/**
 * The fuzz targets: each pairs a generator of bad input with what must hold whatever the input — the parsers and
 * validators return or throw only Launchpad's own errors; the CLI (`tree`, `render`, `health`, `diff`) run as a
 * process ends with exit 0, 1 or 2, a Launchpad error line and no crash, stack trace, library warning or leak of a
 * file outside the repository, within a time and memory budget. A target returns a finding (what broke) or
 * undefined.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { handleWebhook } from '../../src/controller/webhook.js';
import { LaunchpadError } from '../../src/errors.js';
import { assessHealth } from '../../src/health/index.js';
import { loadManifestFile } from '../../src/model/load.js';
import { parseKubeObjects } from '../../src/model/rendered-objects.js';
import { validateApplication } from '../../src/model/validate-application.js';
import { parseYamlDocuments } from '../../src/model/yaml-documents.js';
import { findBinary } from '../../src/process/binaries.js';
import { parseConfig } from '../../src/source/config-parse.js';
import { createGitRepo } from '../../src/testing/git-fixtures.js';
import { VALID_APPLICATION, applicationFile, healthInput, hostileApplication, hostileKubeObject, hostileYaml, launchpadConfigText, repositoryLayout } from './arbitraries.js';
import type { LayoutEntry, RepositoryLayout } from './arbitraries.js';

export interface FuzzTarget<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Cases in the fixed-seed run of `npm test`. */
  readonly quickRuns: number;
  run(input: T): Promise<string | undefined>;
}

const repoRoot = new URL('../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');

/** A secret planted outside every generated repository: it must never reach any output. */
export const OUTSIDE_SECRET = 'planted-outside-secret-4f2a';

/** Budget per CLI run: a hang or a runaway heap is a finding, not a slow test. */
const TIME_BUDGET_MS = 60_000;
const HEAP_BUDGET_MB = 384;

/** Only Launchpad's own errors may escape a parser or validator, each one line. */
function checkThrown(error: unknown): string | undefined {
  if (!(error instanceof LaunchpadError)) return `threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`;
  if (/Maximum call stack|\n/.test(error.message)) return `error is not one clean line: ${error.message.slice(0, 300)}`;
  return undefined;
}

function guard(body: () => void): string | undefined {
  try {
    body();
    return undefined;
  } catch (error) {
    return checkThrown(error);
  }
}

export const parserTarget: FuzzTarget<string> = {
  name: 'parsers (YAML, manifests, rendered output, launchpad.yaml)',
  arbitrary: hostileYaml,
  quickRuns: 60,
  run(text) {
    const findings = [
      guard(() => {
        const parsed = parseYamlDocuments(text, 'fuzz.yaml');
        for (const error of parsed.errors) {
          const problem = checkThrown(error);
          if (problem !== undefined) throw new Error(problem);
        }
      }),
      guard(() => loadManifestFile(text, 'fuzz.yaml')),
      guard(() => parseKubeObjects(text, { source: 'fuzz' })),
      guard(() => parseConfig(text, '/fuzz/launchpad.yaml')),
    ];
    return Promise.resolve(findings.find((finding) => finding !== undefined));
  },
};

export const applicationTarget: FuzzTarget<unknown> = {
  name: 'Application validation',
  arbitrary: hostileApplication,
  quickRuns: 200,
  run(value) {
    return Promise.resolve(guard(() => {
      const result = validateApplication(value, () => ({ file: 'fuzz.yaml' }));
      if (!result.ok && result.errors.length === 0) throw new Error('invalid without an error');
    }));
  },
};

const HEALTH_STATES = new Set(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']);

export const healthTarget: FuzzTarget<unknown> = {
  name: 'health assessment',
  arbitrary: hostileKubeObject,
  quickRuns: 300,
  run(object) {
    // As `health -f` and the sync engine see objects: through the rendered-object reader, which gives them metadata.
    return Promise.resolve(guard(() => {
      for (const parsed of parseKubeObjects(JSON.stringify(object), { source: 'fuzz' })) {
        const health = assessHealth(parsed);
        if (!HEALTH_STATES.has(health.status) || typeof health.message !== 'string') throw new Error(`bad health ${JSON.stringify(health)}`);
        if (health.status === 'Unknown' && health.message.includes('could not be assessed')) throw new Error(`a health rule crashed: ${health.message}`);
      }
    }));
  },
};

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(cwd: string, cacheHome: string, args: readonly string[], input?: string): CliRun {
  const result = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_BUDGET_MB}`, bin, ...args], {
    cwd, encoding: 'utf8', timeout: TIME_BUDGET_MS, maxBuffer: 256 * 1024 * 1024, input: input ?? '',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize'), NODE_OPTIONS: '' },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const CRASH = /(TypeError|ReferenceError|RangeError|SyntaxError: |Maximum call stack|heap out of memory|FATAL ERROR|Cannot read propert|is not a function|Unhandled|\[object Object\])/;
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const NODE_WARNING = /^\(node:\d+\)|^\s*Warning: /m;
const PREFIXES = ['error: ', 'warning: ', 'skipped: ', 'launchpad: ', 'launchpad diff: ', 'diff: '];

/** What a finished CLI run must look like, whatever the input. */
export function checkCliRun(run: CliRun, label: string): string | undefined {
  if (run.signal !== null || run.code === null) return `${label}: killed (${run.signal ?? 'no exit code'}) — over the ${TIME_BUDGET_MS / 1000} s budget or crashed`;
  if (![0, 1, 2].includes(run.code)) return `${label}: exit ${run.code}: ${run.stderr.slice(0, 500)}`;
  if (CRASH.test(run.stderr)) return `${label}: crash text on stderr: ${CRASH.exec(run.stderr)?.[0] ?? ''} in ${run.stderr.slice(0, 500)}`;
  if (STACK.test(run.stderr)) return `${label}: stack trace on stderr`;
  if (NODE_WARNING.test(run.stderr)) return `${label}: a library or runtime warning on stderr: ${run.stderr.slice(0, 300)}`;
  const first = run.stderr.split('\n')[0] ?? '';
  if (run.code === 2 && !PREFIXES.some((prefix) => first.startsWith(prefix))) return `${label}: exit 2 without a Launchpad error line first: ${first.slice(0, 300)}`;
  if (`${run.stdout}${run.stderr}`.includes(OUTSIDE_SECRET)) return `${label}: a file outside the repository reached the output`;
  return undefined;
}

async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const treeTarget: FuzzTarget<string> = {
  name: 'tree and render of a hostile Application file',
  arbitrary: applicationFile,
  quickRuns: 6,
  run(text) {
    return withTempDir('launchpad-fuzz-tree-', async (dir) => {
      await writeFile(join(dir, 'app.yaml'), text);
      const tree = runCli(dir, join(dir, 'cache'), ['tree', 'app.yaml', '--offline']);
      const treeFinding = checkCliRun(tree, 'tree');
      if (treeFinding !== undefined) return treeFinding;
      if (tree.code === 2 && !/holds|Application/.test(tree.stderr) && tree.stdout !== '') return 'tree: exit 2 with a table on stdout';
      return checkCliRun(runCli(dir, join(dir, 'cache'), ['render', 'app.yaml', '--offline']), 'render');
    });
  },
};

export const healthCliTarget: FuzzTarget<string> = {
  name: 'health -f of hostile live objects',
  arbitrary: healthInput,
  quickRuns: 5,
  run(text) {
    return withTempDir('launchpad-fuzz-health-', (dir) => Promise.resolve(checkCliRun(runCli(dir, join(dir, 'cache'), ['health', '-f', '-'], text), 'health -f -')));
  },
};

export const configTarget: FuzzTarget<string> = {
  name: 'tree with a hostile launchpad.yaml',
  arbitrary: launchpadConfigText,
  quickRuns: 4,
  run(text) {
    return withTempDir('launchpad-fuzz-config-', async (dir) => {
      await writeFile(join(dir, 'launchpad.yaml'), text);
      await writeFile(join(dir, 'app.yaml'), VALID_APPLICATION);
      const run = runCli(dir, join(dir, 'cache'), ['tree', 'app.yaml', '--offline']);
      return checkCliRun(run, 'tree --config');
    });
  },
};

async function writeEntry(repoDir: string, outside: string, entry: LayoutEntry): Promise<void> {
  const path = join(repoDir, entry.path);
  await rm(path, { recursive: true, force: true });
  await mkdir(dirname(path), { recursive: true });
  if (entry.kind === 'file') await writeFile(path, entry.text);
  else await symlink(entry.target === 'OUTSIDE_ABSOLUTE' ? join(outside, 'secret.yaml') : entry.target, path);
}

function rootApplication(layout: RepositoryLayout): string {
  return [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', '  name: fuzz', '  namespace: argocd', 'spec:', '  project: default',
    '  source:', '    repoURL: https://example.com/fuzz', '    targetRevision: HEAD', `    path: ${layout.sourcePath}`,
    ...(layout.recurse ? ['    directory: {recurse: true}'] : []),
    '  destination:', '    server: https://kubernetes.default.svc', '    namespace: fuzz', '',
  ].join('\n');
}

/** `work/outside/secret.yaml` (the planted secret), `work/repo` (the generated repository, two commits). */
async function buildRepository(work: string, layout: RepositoryLayout): Promise<string> {
  const outside = join(work, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'secret.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaked\ndata:\n  secret: ${OUTSIDE_SECRET}\n`);
  const repo = await createGitRepo({ dir: join(work, 'repo') });
  for (const entry of layout.base) await writeEntry(repo.dir, outside, entry);
  await repo.commit({ 'root/app.yaml': rootApplication(layout), 'launchpad.yaml': 'repositories:\n  - url: https://example.com/fuzz\n    path: .\n' }, 'base');
  for (const entry of layout.head) await writeEntry(repo.dir, outside, entry);
  await repo.commit({}, 'head');
  return repo.dir;
}

export const repositoryTarget: FuzzTarget<RepositoryLayout> = {
  name: 'render and diff of a hostile repository layout',
  arbitrary: repositoryLayout,
  quickRuns: 6,
  run(layout) {
    return withTempDir('launchpad-fuzz-repo-', async (work) => {
      const repo = await buildRepository(work, layout);
      const cache = join(work, 'cache');
      const render = checkCliRun(runCli(repo, cache, ['render', 'root/app.yaml', '--offline']), 'render');
      if (render !== undefined) return render;
      return checkCliRun(runCli(repo, cache, ['diff', 'root/app.yaml', '--base', 'HEAD~1', '--head', 'HEAD', '--offline']), 'diff');
    });
  },
};

const WEBHOOK_SECRET = 'fuzz-webhook-secret';

/** Hostile webhook requests: random headers (provider, event, signatures) and bodies, some validly signed. */
const webhookRequest = fc.record({
  provider: fc.constantFrom('x-github-event', 'x-gitea-event', 'x-gitlab-event', 'x-gogs-event', 'x-other'),
  event: fc.constantFrom('push', 'ping', 'Push Hook', 'Tag Push Hook', 'issues', ''),
  body: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)), hostileYaml.filter((text) => text.length < 50_000)),
  signature: fc.constantFrom('valid', 'garbage', 'missing'),
});

export const webhookTarget: FuzzTarget<typeof webhookRequest extends fc.Arbitrary<infer T> ? T : never> = {
  name: 'controller webhook requests',
  arbitrary: webhookRequest,
  quickRuns: 200,
  run(input) {
    const body = Buffer.from(input.body);
    const digest = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
    const signature = input.signature === 'valid' ? digest : input.signature === 'garbage' ? 'zz' : undefined;
    const headers: Record<string, string> = { [input.provider]: input.event, 'content-type': 'application/json' };
    if (signature !== undefined) Object.assign(headers, { 'x-hub-signature-256': `sha256=${signature}`, 'x-gitea-signature': signature, 'x-gitlab-token': input.signature === 'valid' ? WEBHOOK_SECRET : 'nope' });
    return Promise.resolve(guard(() => {
      const result = handleWebhook({ headers, body }, { github: WEBHOOK_SECRET, gitea: WEBHOOK_SECRET, gitlab: WEBHOOK_SECRET }, { insecure: false });
      if (!['push', 'ignored', 'rejected'].includes(result.kind)) throw new Error(`unexpected result ${JSON.stringify(result)}`);
      if (JSON.stringify(result).includes(WEBHOOK_SECRET)) throw new Error('the secret appears in a result');
      if (signature !== digest && result.kind === 'push') throw new Error('an unsigned push was accepted');
    }));
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of targets
export const TARGETS: readonly FuzzTarget<any>[] = [parserTarget, applicationTarget, healthTarget, webhookTarget, treeTarget, healthCliTarget, configTarget, repositoryTarget];
