/**
 * The one way Launchpad hands text to the `yaml` package: size, document count and nesting are checked first
 * (linear scans that cannot overflow), so the package's recursive parser never meets a document deep enough to
 * exhaust the stack, and the package never prints warnings of its own.
 */
import { parse } from 'yaml';
import { InputError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { checkDocumentCount, checkTextSize, inputLimits } from './limits.js';
import type { InputLimits } from './limits.js';
import { estimateNesting } from './yaml-depth.js';

/** Options every `yaml` parse uses: no warnings printed by the package; duplicate keys are checked separately. */
export const YAML_OPTIONS = { logLevel: 'error', uniqueKeys: false } as const;

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Refuses text over the size, document or nesting limits, naming the file (and line) and the limit. */
export function checkYamlText(text: string, position: SourcePosition, limits: InputLimits = inputLimits()): void {
  checkTextSize(text, position, limits);
  checkDocumentCount(text, position, limits);
  const nesting = estimateNesting(text, limits.maxDepth);
  if (nesting.depth <= limits.maxDepth) return;
  throw new InputError({ ...position, ...lineAndColumn(text, nesting.offset) }, `is nested more than ${limits.maxDepth} levels deep (maxDepth)`, {
    fix: 'flatten the structure; if it is legitimate, raise maxDepth under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS',
  });
}

/** `yaml.parse` behind the checks: for small files Launchpad reads as data (Chart.yaml, kustomization.yaml, index.yaml). */
export function parseYamlValue(text: string, file: string, options: { readonly maxAliasCount?: number; readonly limits?: InputLimits } = {}): unknown {
  checkYamlText(text, { file }, options.limits);
  return parse(text, { ...YAML_OPTIONS, ...(options.maxAliasCount === undefined ? {} : { maxAliasCount: options.maxAliasCount }) });
}
