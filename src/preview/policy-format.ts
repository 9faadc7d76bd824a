/**
 * The policy section of the diff in each output format (see ./policy-delta.ts): per application, the violations the
 * change introduces (`+`) and fixes (`-`). Pure. Nothing is printed for a cluster without policy news.
 */
import type { PolicyDelta, PolicyViolation } from './types.js';

interface AppViolations {
  readonly application: string;
  readonly introduced: readonly PolicyViolation[];
  readonly fixed: readonly PolicyViolation[];
}

/** Grouped by application, in name order; the delta's lists are already sorted by application. */
export function violationsByApp(delta: PolicyDelta): AppViolations[] {
  const names = [...new Set([...delta.introduced, ...delta.fixed].map((violation) => violation.application))].sort((a, b) => a.localeCompare(b));
  return names.map((application) => ({
    application,
    introduced: delta.introduced.filter((violation) => violation.application === application),
    fixed: delta.fixed.filter((violation) => violation.application === application),
  }));
}

function describeViolation(violation: PolicyViolation): string {
  return `${violation.status.toUpperCase()} ${violation.resource} ${violation.policy}/${violation.rule} (${violation.action})${violation.message === '' ? '' : `: ${violation.message}`}`;
}

export function policyTextLines(delta: PolicyDelta): string[] {
  const lines = ['', `  policies: ${delta.introduced.length} violation${delta.introduced.length === 1 ? '' : 's'} introduced, ${delta.fixed.length} fixed`];
  for (const group of violationsByApp(delta)) {
    lines.push(`    application ${group.application}:`);
    for (const violation of group.introduced) lines.push(`      + introduced ${describeViolation(violation)}`);
    for (const violation of group.fixed) lines.push(`      - fixed ${describeViolation(violation)}`);
  }
  return lines;
}

export function policyMarkdown(delta: PolicyDelta, html: (text: string) => string): string {
  const rows = violationsByApp(delta).flatMap((group) => [
    ...group.introduced.map((violation) => ({ change: ':warning: introduced', violation })),
    ...group.fixed.map((violation) => ({ change: ':white_check_mark: fixed', violation })),
  ]);
  const table = rows.map(({ change, violation }) =>
    `| ${html(violation.application)} | ${change} | <code>${html(violation.resource)}</code> | <code>${html(`${violation.policy}/${violation.rule}`)}</code> | ${violation.action} | ${html(violation.message)} |`);
  return [
    `**Policies**: ${delta.introduced.length} violation${delta.introduced.length === 1 ? '' : 's'} introduced, ${delta.fixed.length} fixed\n`,
    '| Application | Change | Resource | Policy/rule | Action | Message |',
    '|---|---|---|---|---|---|',
    ...table,
  ].join('\n') + '\n\n';
}
