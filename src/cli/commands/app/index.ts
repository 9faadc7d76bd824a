/**
 * `launchpad app <sub>`: the command line of a running controller, in kubectl's conventions (`-n/--namespace`,
 * default argocd; `--kubeconfig`; `--context`; `-o table|json|yaml` where the output is data) and Argo CD's
 * semantics — list, get, diff, history, sync, refresh, rollback, terminate, delete — against the cluster, or
 * through the Launchpad API with `--server URL` (RBAC of the API token's account). One module per subcommand.
 * Exit codes as everywhere: 0 done, 1 an operation failed or was refused, 2 a usage error.
 */
import type { Command } from 'commander';
import { registerAppDelete } from './delete.js';
import { registerAppDiff } from './diff.js';
import { registerAppGet } from './get.js';
import { registerAppHistory } from './history.js';
import { registerAppList } from './list.js';
import { registerAppRefresh } from './refresh.js';
import { registerAppRollback } from './rollback.js';
import { registerAppSync } from './sync.js';
import { registerAppTerminate } from './terminate.js';

export function registerApp(program: Command): void {
  const app = program.command('app').description('work with the Applications of a running Launchpad (or Argo CD-compatible) controller');
  registerAppList(app);
  registerAppGet(app);
  registerAppDiff(app);
  registerAppHistory(app);
  registerAppSync(app);
  registerAppRefresh(app);
  registerAppRollback(app);
  registerAppTerminate(app);
  registerAppDelete(app);
}
