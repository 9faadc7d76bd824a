import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('print the Launchpad version')
    .action(() => {
      const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`launchpad ${pkg.version}\n`);
    });
}
