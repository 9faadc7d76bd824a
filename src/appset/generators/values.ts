/**
 * `values:` of the clusters, git, pull request, SCM provider and cluster-decision generators: each value is a template
 * rendered with the parameters generated so far, then added as `values.<key>` (fasttemplate) or `.values.<key>`.
 */
import { LaunchpadError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';
import type { Params } from '../params.js';
import { replaceString } from '../render.js';
import type { TemplateMode } from '../render.js';

export function readValues(value: unknown, where: string): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === 'string')) throw new LaunchpadError(`${where}.values must map names to strings`);
  return value as Record<string, string>;
}

/** Adds the rendered values to `params` (in place, as Argo CD's appendTemplatedValues). */
export function appendValues(values: Readonly<Record<string, string>>, params: Params, mode: TemplateMode): void {
  const rendered: Record<string, string> = {};
  for (const [key, template] of Object.entries(values)) rendered[key] = replaceString(template, params, mode);
  if (Object.keys(rendered).length === 0) return;
  if (mode.goTemplate) params.values = rendered;
  else for (const [key, value] of Object.entries(rendered)) params[`values.${key}`] = value;
}
