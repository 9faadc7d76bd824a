/** The exit code of a release: 0 done (pushed, pull request opened, dry run shown), 1 nothing to do, 2 error. */
import type { ReleaseOutcome } from './types.js';

const CODES: Readonly<Record<ReleaseOutcome, 0 | 1>> = { updated: 0, 'pull-request': 0, 'dry-run': 0, unchanged: 1, superseded: 1 };

export function releaseExitCode(outcome: ReleaseOutcome): 0 | 1 {
  return CODES[outcome];
}
