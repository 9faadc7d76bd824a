/**
 * Prints errors, skips and warnings of rendered trees to stderr and decides the exit code: a root file that could
 * not be read is a usage/config error (2); an application that failed is 1; skipped (offline) is not a failure.
 */
import type { RenderTree } from '../render/types.js';
import { EXIT } from './exit.js';

export interface ReportOptions {
  /** Print one line per skipped application. @default true */
  readonly skips?: boolean;
}

export function reportProblems(trees: readonly RenderTree[], configWarnings: readonly string[], options: ReportOptions = {}): number {
  const lines: string[] = configWarnings.map((warning) => `warning: ${warning}`);
  let code: number = EXIT.ok;
  for (const tree of trees) {
    for (const error of tree.errors) {
      lines.push(`error: ${error}`);
      code = EXIT.usage;
    }
    for (const app of tree.apps) {
      for (const warning of app.warnings) lines.push(`warning: ${app.name}: ${warning}`);
      if (app.status === 'skipped' && options.skips !== false) lines.push(`skipped: ${app.name}: ${app.message}`);
      for (const error of app.errors) lines.push(`error: ${app.name}: ${error}`);
      if (app.status === 'error' && code === EXIT.ok) code = EXIT.failed;
    }
  }
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  return code;
}
