/**
 * `-o text` (the default): the compared revisions, a summary per cluster, then per application its
 * application-level changes and its resources' unified diffs. Pure.
 */
import { changeMark, describeApp, describeApplications, describeKey, describeRepository, describeResources, describeSecretKeys } from './describe.js';
import { policyTextLines } from './policy-format.js';
import type { AppDiff, ClusterDiff, PreviewReport } from './types.js';

function indent(text: string, prefix: string): string {
  return text.replace(/\n$/, '').split('\n').map((line) => `${prefix}${line}`).join('\n');
}

function appLines(app: AppDiff): string[] {
  const lines = [`${changeMark(app.change)} application ${app.name}: ${describeApp(app)}`];
  for (const error of app.errors) lines.push(indent(`${error.side}: ${error.message}`, '    '));
  for (const field of app.fields) lines.push(`    ${field.field}: ${field.base === '' ? '(none)' : field.base} → ${field.head === '' ? '(none)' : field.head}`);
  for (const resource of app.resources) {
    lines.push(`  ${changeMark(resource.change)} ${describeKey(resource)}`);
    if (resource.secretKeys !== undefined) lines.push(`    secret keys: ${describeSecretKeys(resource.secretKeys)} (values are never shown)`);
    lines.push(indent(resource.diff, '    '));
  }
  return lines;
}

function clusterLines(cluster: ClusterDiff): string[] {
  const lines = [
    `cluster ${cluster.name} (${cluster.root}): ${cluster.status}`,
    `  applications: ${describeApplications(cluster.summary)}`,
    `  resources:    ${describeResources(cluster.summary)}`,
  ];
  for (const error of cluster.errors) lines.push(indent(`${error.side}: ${error.message}`, '  ! '));
  const skipped = cluster.applications.filter((app) => app.change === 'skipped');
  if (skipped.length > 0) lines.push(`  not compared (skipped at base or head): ${skipped.map((app) => app.name).join(', ')}`);
  for (const app of cluster.applications) if (app.change !== 'skipped') lines.push('', ...appLines(app));
  if (cluster.policies !== undefined) lines.push(...policyTextLines(cluster.policies));
  return lines;
}

export function formatText(report: PreviewReport): string {
  const lines = ['compared base → head:', ...report.repositories.map((repo) => `  ${describeRepository(repo)}`)];
  for (const cluster of report.clusters) lines.push('', ...clusterLines(cluster));
  return `${lines.join('\n')}\n`;
}
