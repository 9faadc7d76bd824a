/**
 * Canonical YAML for comparing rendered objects — keys sorted at every level, as Argo CD's diff shows them, so a
 * template that only reorders keys is no change — and unified diffs of it (jsdiff), without file headers.
 */
import { structuredPatch } from 'diff';
import { stringify } from 'yaml';

/** The value with every mapping's keys sorted; arrays keep their order (it is meaningful). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
  return sorted;
}

/** Stable YAML of an object with sorted keys; "" for an absent object. */
export function canonicalYaml(value: unknown): string {
  if (value === undefined) return '';
  return stringify(canonical(value), { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface UnifiedDiffOptions {
  /** Lines of context around each change. @default 3 */
  readonly context?: number;
  /** Written after `--- ` and `+++ `. */
  readonly baseLabel: string;
  readonly headLabel: string;
}

/**
 * A unified diff (`--- base`, `+++ head`, `@@ … @@` hunks) of two texts; "" when they are equal. A missing final
 * newline is not reported: canonical YAML always ends with one.
 */
export function unifiedDiff(baseText: string, headText: string, options: UnifiedDiffOptions): string {
  if (baseText === headText) return '';
  const patch = structuredPatch(options.baseLabel, options.headLabel, baseText, headText, undefined, undefined, { context: options.context ?? 3 });
  const lines = [`--- ${options.baseLabel}`, `+++ ${options.headLabel}`];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** GNU convention: an empty range starts at the line before it (`-0,0` for a new object). */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? String(start) : `${start},${count}`;
}
