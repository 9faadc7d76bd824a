/**
 * What `launchpad up` and `launchpad bootstrap` print once a tree has converged: every application with its sync,
 * health and why it is not Synced/Healthy, what was not rendered, and what a simulated node cannot do.
 */
import type { AppState } from '../../local/converge.js';
import { simulationReason } from '../../local/converge.js';
import { formatTable } from './table.js';

function appRow(app: AppState): string[] {
  const problem = app.conditions.find((condition) => condition.type.endsWith('Error'))?.message ?? (app.operation === 'Failed' || app.operation === 'Error' ? app.operationMessage : '');
  const message = problem !== '' ? problem : app.healthMessage;
  return [app.name, app.sync, app.health, app.operation || '-', (message.split('\n')[0] ?? '').slice(0, 140)];
}

/** Why apps are not Synced/Healthy, grouped by the local cluster's limits where that is the cause. */
function explanations(apps: readonly AppState[]): string[] {
  const reasons = new Map<string, Set<string>>();
  for (const app of apps) {
    const lines = [...app.waiting, ...app.conditions.map((condition) => condition.message), app.operationMessage].filter((line) => line !== '');
    for (const line of lines) {
      const reason = simulationReason(line);
      if (reason === undefined) continue;
      const set = reasons.get(reason) ?? new Set<string>();
      set.add(app.name);
      reasons.set(reason, set);
    }
  }
  return [...reasons].map(([reason, names]) => `  - ${[...names].sort().join(', ')}: ${reason}`);
}

export interface ConvergenceReport {
  readonly apps: readonly AppState[];
  readonly converged: boolean;
  readonly seconds: number;
  /** Say what a simulated node cannot do (local clusters). */
  readonly simulated: boolean;
}

/** The table and the explanations, as lines. */
export function convergenceLines(report: ConvergenceReport): string[] {
  const { apps } = report;
  const healthy = apps.filter((app) => app.sync === 'Synced' && app.health === 'Healthy').length;
  const unrendered = apps.filter((app) => app.conditions.some((condition) => /rendering failed/.test(condition.message)));
  const notes = report.simulated ? explanations(apps) : [];
  return [
    `${report.converged ? 'Converged' : 'Not converged yet'} after ${report.seconds.toFixed(0)} s: ${apps.length} applications, ${healthy} Synced and Healthy.`,
    '',
    formatTable(['APPLICATION', 'SYNC', 'HEALTH', 'OPERATION', 'MESSAGE'], apps.map(appRow)).trimEnd(),
    '',
    ...(unrendered.length === 0 ? [] : [`Not rendered (${unrendered.length}): ${unrendered.map((app) => app.name).join(', ')} — upstream charts need network, or a launchpad.yaml that maps their repositories to a mirror (--config).`]),
    ...(notes.length === 0 ? [] : ['What a simulated node cannot do (kwok runs no containers):', ...notes]),
  ];
}
