/**
 * `launchpad health -f objects.yaml`: the health of each object in a file (multi-document, or a `kind: List` as
 * `kubectl get -o yaml` writes it; `-f -` reads stdin), judged as Argo CD would. One line per object:
 * `<Kind>/<namespace>/<name>: <Status> — <message>`. Exit 0 when every object is Healthy, 1 otherwise, 2 on usage
 * errors (unreadable file, invalid YAML, no objects). Lua health checks come from `--health-dir` or the
 * `health.luaDir` of the launchpad.yaml given with `--config`.
 *
 * `launchpad health test <dir>`: runs the health_test.yaml files beside each health.lua of a folder laid out like
 * Argo CD's resource_customizations; one PASS/FAIL line per case and a count. Exit 0 when all pass, 1 when any
 * fails, 2 on usage errors (no such folder, no health_test.yaml in it).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import { readTextFile, readTextStream } from '../../source/read-text.js';
import { assessHealth } from '../../health/index.js';
import type { HealthResult } from '../../health/index.js';
import { loadLuaHealthDir, runHealthTests, setCustomHealthChecks } from '../../health/lua/index.js';
import type { HealthTestCase } from '../../health/lua/index.js';
import { loadConfig } from '../../source/config.js';
import { parseKubeObjects } from '../../model/rendered-objects.js';
import { formatResourceKey, resourceKey } from '../../model/resource.js';
import type { KubeObject } from '../../model/resource.js';
import { EXIT, ExitCode } from '../exit.js';

interface HealthFlags {
  readonly file?: string;
  readonly output: 'text' | 'json';
  readonly healthDir?: string;
  readonly config?: string;
}

interface Assessed {
  readonly object: KubeObject;
  readonly health: HealthResult;
}

function readInput(file: string): Promise<string> {
  return file === '-' ? readTextStream(process.stdin, '<stdin>') : readTextFile(file, 'check the path given to -f');
}

export function healthLine({ object, health }: Assessed): string {
  const key = formatResourceKey(resourceKey(object));
  return health.message === '' ? `${key}: ${health.status}` : `${key}: ${health.status} — ${health.message}`;
}

function healthJson(assessed: readonly Assessed[]): string {
  const resources = assessed.map(({ object, health }) => ({ ...resourceKey(object), status: health.status, message: health.message }));
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}

/** Lua health checks from --health-dir, else from launchpad.yaml's health.luaDir; none when neither is given. */
async function configureLuaHealth(flags: HealthFlags): Promise<void> {
  if (flags.healthDir !== undefined) {
    setCustomHealthChecks({ folder: await loadLuaHealthDir(flags.healthDir, 'to --health-dir') });
    return;
  }
  const luaDir = flags.config === undefined ? undefined : (await loadConfig(flags.config)).health?.luaDir;
  if (luaDir !== undefined) setCustomHealthChecks({ folder: await loadLuaHealthDir(luaDir, `as health.luaDir in ${flags.config ?? 'launchpad.yaml'}`) });
}

function quoted(status: string, message: string): string {
  const shown = status === '' ? '(no health)' : status;
  return message === '' ? shown : `${shown} "${message}"`;
}

export function healthTestLine(test: HealthTestCase): string {
  if (test.passed) return `PASS ${test.name}`;
  if (test.error !== undefined) return `FAIL ${test.name}: ${test.error}`;
  const expected = test.expected === undefined ? '?' : quoted(test.expected.status, test.expected.message);
  const actual = test.actual === undefined ? '?' : quoted(test.actual.status, test.actual.message);
  return `FAIL ${test.name}: expected ${expected}, got ${actual}`;
}

function registerHealthTest(health: Command): void {
  health
    .command('test')
    .description("run the health_test.yaml files beside each <group>/<Kind>/health.lua in a folder (Argo CD's resource_customizations format)")
    .argument('<dir>', 'folder laid out as <group>/<Kind>/health.lua + health_test.yaml')
    .option('--failures', 'print only the cases that fail (and the count)')
    .action(async (dir: string, flags: { readonly failures?: boolean }) => {
      const report = await runHealthTests(dir);
      const lines = report.cases.filter((test) => flags.failures !== true || !test.passed).map((test) => `${healthTestLine(test)}\n`);
      const failed = report.cases.filter((test) => !test.passed).length;
      const untested = report.untested.length === 0 ? '' : ` (${report.untested.length} health.lua without a health_test.yaml)`;
      process.stdout.write(`${lines.join('')}${report.cases.length - failed} passed, ${failed} failed${untested}\n`);
      if (failed > 0) throw new ExitCode(EXIT.failed);
    });
}

export function registerHealth(program: Command): void {
  const health = program
    .command('health')
    .description('assess the health of Kubernetes objects in a file, as Argo CD would (e.g. kubectl get -o yaml output)')
    .option('-f, --file <file>', 'YAML file with one or more objects ("-" for stdin) (required)')
    .option('--health-dir <dir>', "Lua health checks: a folder of <group>/<Kind>/health.lua (Argo CD's resource_customizations layout)")
    .option('--config <file>', 'launchpad.yaml whose health.luaDir names the Lua health checks')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: HealthFlags) => {
      // Not a commander requiredOption: that would be demanded of `health test` too.
      if (flags.file === undefined) health.error("error: required option '-f, --file <file>' not specified");
      const file = flags.file ?? '-';
      await configureLuaHealth(flags);
      const source = file === '-' ? '<stdin>' : file;
      const objects = parseKubeObjects(await readInput(file), { source, duplicateKeys: 'last-wins' });
      if (objects.length === 0) {
        throw new InputError({ file: source }, 'contains no Kubernetes objects', { fix: 'pass a file with objects, e.g. from kubectl get <kind> <name> -o yaml' });
      }
      const assessed = objects.map((object) => ({ object, health: assessHealth(object) }));
      process.stdout.write(flags.output === 'json' ? healthJson(assessed) : assessed.map((entry) => `${healthLine(entry)}\n`).join(''));
      if (assessed.some(({ health: verdict }) => verdict.status !== 'Healthy')) throw new ExitCode(EXIT.failed);
    });
  registerHealthTest(health);
}
