/**
 * Whether a test file can have a control plane. In CI (`CI=true`) missing binaries fail the suite: a green run that
 * skipped every cluster test would hide the gap. Elsewhere the suite is skipped with a reason saying how to build.
 */
import { ToolError } from '../../errors.js';
import { BUILD_HINT, TIER1_BINARIES, TIER2_BINARIES, controlPlaneBinDir, missingBinaries } from './binaries.js';

function inCI(env: NodeJS.ProcessEnv): boolean {
  const value = (env.CI ?? '').toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/**
 * `false` when the binaries for the tier are present; a skip reason when they are missing outside CI. Throws a
 * ToolError when they are missing in CI. Use as `describe('…', { skip: controlPlaneSkipReason(2) }, …)`.
 */
export function controlPlaneSkipReason(tier: 1 | 2 = 1, env: NodeJS.ProcessEnv = process.env): string | false {
  const dir = controlPlaneBinDir(env);
  const missing = missingBinaries(tier === 2 ? TIER2_BINARIES : TIER1_BINARIES, dir);
  if (missing.length === 0) return false;
  const message = `control-plane binaries missing in ${dir}: ${missing.join(', ')}`;
  if (inCI(env)) throw new ToolError(`${message} (CI must not skip cluster tests)`, { fix: BUILD_HINT });
  return `${message} — ${BUILD_HINT}`;
}
