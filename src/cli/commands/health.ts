/**
 * `launchpad health -f objects.yaml`: the health of each object in a file (multi-document, or a `kind: List` as
 * `kubectl get -o yaml` writes it; `-f -` reads stdin), judged as Argo CD would. One line per object:
 * `<Kind>/<namespace>/<name>: <Status> — <message>`. Exit 0 when every object is Healthy, 1 otherwise, 2 on usage
 * errors (unreadable file, invalid YAML, no objects).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import { readTextFile, readTextStream } from '../../source/read-text.js';
import { assessHealth } from '../../health/index.js';
import type { HealthResult } from '../../health/index.js';
import { parseKubeObjects } from '../../model/rendered-objects.js';
import { formatResourceKey, resourceKey } from '../../model/resource.js';
import type { KubeObject } from '../../model/resource.js';
import { EXIT, ExitCode } from '../exit.js';

interface HealthFlags {
  readonly file: string;
  readonly output: 'text' | 'json';
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

export function registerHealth(program: Command): void {
  program
    .command('health')
    .description('assess the health of Kubernetes objects in a file, as Argo CD would (e.g. kubectl get -o yaml output)')
    .requiredOption('-f, --file <file>', 'YAML file with one or more objects ("-" for stdin)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: HealthFlags) => {
      const source = flags.file === '-' ? '<stdin>' : flags.file;
      const objects = parseKubeObjects(await readInput(flags.file), { source });
      if (objects.length === 0) {
        throw new InputError({ file: source }, 'contains no Kubernetes objects', { fix: 'pass a file with objects, e.g. from kubectl get <kind> <name> -o yaml' });
      }
      const assessed = objects.map((object) => ({ object, health: assessHealth(object) }));
      process.stdout.write(flags.output === 'json' ? healthJson(assessed) : assessed.map((entry) => `${healthLine(entry)}\n`).join(''));
      if (assessed.some(({ health }) => health.status !== 'Healthy')) throw new ExitCode(EXIT.failed);
    });
}
