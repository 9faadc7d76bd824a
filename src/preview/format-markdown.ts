/**
 * `-o markdown`: a pull-request comment. A hidden marker (so CI can find and update its previous comment), the
 * compared revisions, one summary table row per cluster, then one collapsible `<details>` per application with its
 * application-level changes as a table and its resource diffs as ```diff blocks. The comment stays under a size
 * limit (GitHub refuses comments over 65,536 characters): the largest diffs are cut first, and a note at the top
 * says which were cut. Pure.
 */
import { changeMark, describeApp, describeKey, describeState, describeSecretKeys } from './describe.js';
import { policyMarkdown } from './policy-format.js';
import type { AppDiff, ClusterDiff, PreviewReport } from './types.js';

/** The first line of every comment; CI workflows find their previous comment by it. */
export const MARKDOWN_MARKER = '<!-- launchpad-diff -->';
export const DEFAULT_MAX_MARKDOWN_CHARS = 65_000;
/** Cut diffs named in the note; the rest are counted. */
const NOTE_NAMES = 15;

export interface MarkdownOptions {
  /** @default 65,000 characters */
  readonly maxChars?: number;
}

/** A diff block that may be replaced by a one-line note when the comment is too long. */
interface DiffPart {
  readonly label: string;
  readonly text: string;
  readonly lines: number;
  cut: boolean;
}

type Part = string | DiffPart;

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;');
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}diff\n${text.replace(/\n$/, '')}\n${marks}\n`;
}

function cutText(part: DiffPart): string {
  return `_diff of ${part.lines} lines cut to fit the comment size limit — run \`launchpad diff\` to see it_\n`;
}

function appParts(cluster: ClusterDiff, app: AppDiff): Part[] {
  const open = app.change === 'error' ? ' open' : '';
  const parts: Part[] = [`<details${open}><summary>${changeMark(app.change)} <b>${html(app.name)}</b> — ${html(describeApp(app))}</summary>\n\n`];
  for (const error of app.errors) parts.push(`- **${error.side}**: ${html(error.message)}\n`);
  if (app.errors.length > 0) parts.push('\n');
  if (app.fields.length > 0) {
    parts.push('| Application field | Base | Head |\n|---|---|---|\n');
    for (const field of app.fields) parts.push(`| ${html(field.field)} | <code>${html(field.base)}</code> | <code>${html(field.head)}</code> |\n`);
    parts.push('\n');
  }
  for (const resource of app.resources) {
    const secret = resource.secretKeys === undefined ? '' : ` — secret keys: ${html(describeSecretKeys(resource.secretKeys))}`;
    parts.push(`${changeMark(resource.change)} <code>${html(describeKey(resource))}</code>${secret}\n\n`);
    const text = fence(resource.diff);
    parts.push({ label: `${cluster.name}/${app.name} ${describeKey(resource)}`, text, lines: resource.diff.split('\n').length - 1, cut: false });
    parts.push('\n');
  }
  parts.push('</details>\n\n');
  return parts;
}

function summaryTable(report: PreviewReport): string {
  const rows = report.clusters.map((cluster) => {
    const s = cluster.summary;
    return `| ${html(cluster.name)} | ${cluster.status} | ${s.appsChanged} / ${s.appsAdded} / ${s.appsRemoved} | ${s.appsUnchanged} (${s.appsUnaffected}) | ${s.appsSkipped} | ${s.appsFailed} | ${s.resourcesChanged} / ${s.resourcesAdded} / ${s.resourcesRemoved} |`;
  });
  return [
    '| Cluster | Status | Apps changed / added / removed | Unchanged (unaffected) | Not compared | Failed | Resources changed / added / removed |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n') + '\n\n';
}

function clusterParts(cluster: ClusterDiff): Part[] {
  const parts: Part[] = [`#### ${html(cluster.name)} — <code>${html(cluster.root)}</code>\n\n`];
  for (const error of cluster.errors) parts.push(`- :x: **${error.side}**: ${html(error.message)}\n`);
  const skipped = cluster.applications.filter((app) => app.change === 'skipped');
  if (skipped.length > 0) parts.push(`Not compared (skipped at base or head): ${skipped.map((app) => html(app.name)).join(', ')}\n\n`);
  const shown = cluster.applications.filter((app) => app.change !== 'skipped');
  if (shown.length === 0 && cluster.errors.length === 0 && cluster.policies === undefined) parts.push('No change.\n\n');
  for (const app of shown) parts.push(...appParts(cluster, app));
  if (cluster.policies !== undefined) parts.push(policyMarkdown(cluster.policies, html));
  return parts;
}

function headerOf(report: PreviewReport): string {
  const repos = report.repositories.map((repo) => `- <code>${html(repo.url)}</code>: ${html(describeState(repo.base))} → ${html(describeState(repo.head))}`);
  return `${MARKDOWN_MARKER}\n### Launchpad diff\n\n${repos.join('\n')}\n\n`;
}

function join(parts: readonly Part[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.cut ? cutText(part) : part.text)).join('');
}

function cutNote(cut: readonly DiffPart[], maxChars: number): string {
  if (cut.length === 0) return '';
  const names = cut.slice(0, NOTE_NAMES).map((part) => `<code>${html(part.label)}</code>`).join(', ');
  const more = cut.length > NOTE_NAMES ? ` and ${cut.length - NOTE_NAMES} more` : '';
  return `> [!NOTE]\n> ${cut.length} diff${cut.length === 1 ? '' : 's'} cut to keep this comment under ${maxChars} characters (largest first): ${names}${more}.\n\n`;
}

function fit(head: string, parts: readonly Part[], maxChars: number): string {
  const diffs = parts.filter((part): part is DiffPart => typeof part !== 'string').sort((a, b) => b.text.length - a.text.length);
  let body = join(parts).length;
  const cut: DiffPart[] = [];
  for (const part of diffs) {
    if (head.length + cutNote(cut, maxChars).length + body <= maxChars) break;
    part.cut = true;
    cut.push(part);
    body -= part.text.length - cutText(part).length;
  }
  const text = head + cutNote(cut, maxChars) + join(parts);
  if (text.length <= maxChars) return text;
  const tail = `\n\n_… cut at ${maxChars} characters: too many applications changed to list here — run \`launchpad diff\` to see everything._\n`;
  const keep = text.slice(0, Math.max(0, maxChars - tail.length));
  return keep.slice(0, Math.max(0, keep.lastIndexOf('\n'))) + tail;
}

export function formatMarkdown(report: PreviewReport, options: MarkdownOptions = {}): string {
  const parts: Part[] = [];
  for (const cluster of report.clusters) parts.push(...clusterParts(cluster));
  return fit(headerOf(report) + summaryTable(report), parts, options.maxChars ?? DEFAULT_MAX_MARKDOWN_CHARS);
}
