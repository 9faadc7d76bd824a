/**
 * `-o json`: the report as a stable document (schema `launchpad.diff/v1`, documented in the README). Fields are
 * only ever added within a schema version. Timings are left out so that the same change gives the same bytes.
 * Pure.
 */
import { hasChanges, outcomeOf } from './describe.js';
import type { PreviewReport, RepoState } from './types.js';

export const JSON_SCHEMA = 'launchpad.diff/v1';

function state(value: RepoState): Record<string, string> {
  return value.kind === 'worktree' ? { kind: 'worktree' } : { kind: 'commit', revision: value.revision, sha: value.sha };
}

export function formatJson(report: PreviewReport): string {
  const document = {
    schema: JSON_SCHEMA,
    changed: hasChanges(report),
    failed: outcomeOf(report) === 2,
    repositories: report.repositories.map((repo) => ({ url: repo.url, path: repo.path, base: state(repo.base), head: state(repo.head) })),
    clusters: report.clusters.map((cluster) => ({
      name: cluster.name,
      root: cluster.root,
      status: cluster.status,
      errors: cluster.errors,
      summary: cluster.summary,
      applications: cluster.applications.map((app) => ({
        name: app.name,
        change: app.change,
        errors: app.errors,
        fields: app.fields,
        resources: app.resources.map((resource) => ({
          group: resource.key.group,
          kind: resource.key.kind,
          namespace: resource.key.namespace,
          name: resource.key.name,
          change: resource.change,
          ...(resource.secretKeys === undefined ? {} : { secretKeys: resource.secretKeys }),
          diff: resource.diff,
        })),
      })),
      // Added only when the change introduces or fixes a violation, so documents without policy news are unchanged.
      ...(cluster.policies === undefined ? {} : { policies: { introduced: cluster.policies.introduced, fixed: cluster.policies.fixed } }),
    })),
    warnings: report.warnings,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
