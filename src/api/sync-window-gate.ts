/**
 * Argo CD's API server refuses a sync request that the project's sync windows block for manual syncs (HTTP 403,
 * "cannot sync: blocked by sync window"), so a user learns it at once instead of watching an operation wait. The
 * controller holds back operations written any other way (kubectl patch) by the same rules.
 */
import { SYNC_REQUEST_BLOCKED, syncWindowTargetOf, syncWindowVerdict } from '../controller/sync-windows.js';
import { validateAppProject } from '../model/app-project.js';
import { describeAs } from '../model/describe.js';
import type { KubeObject } from '../model/resource.js';
import { ApiError } from './errors.js';

/** Throws a 403 ApiError when a window blocks a manual sync of `app` now; a missing or invalid project is the controller's to report. */
export function refuseSyncBlockedByWindow(project: KubeObject | undefined, app: KubeObject, now: number = Date.now()): void {
  if (project === undefined) return;
  const validated = validateAppProject(project, describeAs(`AppProject/${project.metadata.name ?? ''}`));
  if (!validated.ok) return;
  const verdict = syncWindowVerdict(validated.value, syncWindowTargetOf(app), { manual: true, now });
  if (verdict.canSync) return;
  const why = verdict.problems.length > 0 ? `invalid sync window: ${verdict.problems.join('; ')}` : SYNC_REQUEST_BLOCKED;
  const fix = verdict.problems.length > 0
    ? 'fix the AppProject\'s spec.syncWindows'
    : 'wait until the window allows syncs, or set manualSync: true on the blocking windows of the AppProject';
  throw new ApiError(403, verdict.problems.length > 0 ? `cannot sync: ${why}` : why, fix);
}
