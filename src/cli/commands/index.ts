/** The list of commands; one line per command module. */
import type { Command } from 'commander';
import { registerVersion } from './version.js';

export function registerCommands(program: Command): void {
  registerVersion(program);
}
