/**
 * The `launchpad` command line. Each command lives in its own module under `commands/` and registers itself on the
 * program; this file only wires them and maps errors to exit codes:
 *   0 success, 1 at least one application/resource failed (reported), 2 usage or configuration error.
 */
import { Command, CommanderError } from 'commander';
import { describeError } from '../errors.js';
import { configureLimits } from '../model/limits.js';
import { registerCommands } from './commands/index.js';
import { EXIT, ExitCode } from './exit.js';

export { EXIT, ExitCode } from './exit.js';

export function buildProgram(): Command {
  const program = new Command('launchpad')
    .description('GitOps for Argo CD manifests: render, diff and sync whole clusters from Git')
    .option('--debug', 'print stack traces for unexpected errors')
    .exitOverride()
    .showHelpAfterError('(run "launchpad help" for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerCommands(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    configureLimits();
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExitCode) return error.code;
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const debug = program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug');
    process.stderr.write(`launchpad: ${describeError(error)}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    return EXIT.usage;
  }
}
