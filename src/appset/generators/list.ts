/**
 * The list generator: `elements` as written (goTemplate), or as string parameters with a `values` map flattened to
 * `values.<key>` (fasttemplate, where any other non-string value is an error); `elementsYaml` adds its list as is.
 */
import { parse } from 'yaml';
import { LaunchpadError } from '../../errors.js';
import { describeError } from '../../errors.js';
import { describeValue, isPlainObject } from '../../model/values.js';
import { cloneJson } from '../params.js';
import type { Params } from '../params.js';

function flatElement(element: Readonly<Record<string, unknown>>, where: string): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'values') {
      if (!isPlainObject(value)) throw new LaunchpadError(`${where}.values must be a mapping of strings`);
      for (const [name, inner] of Object.entries(value)) {
        if (typeof inner !== 'string') throw new LaunchpadError(`${where}.values.${name} is ${describeValue(inner)}: without goTemplate every value must be a string`, { fix: 'quote it, or set goTemplate: true' });
        params[`values.${name}`] = inner;
      }
    } else {
      if (typeof value !== 'string') throw new LaunchpadError(`${where}.${key} is ${describeValue(value)}: without goTemplate every element value must be a string`, { fix: 'quote it, or set goTemplate: true' });
      params[key] = value;
    }
  }
  return params;
}

function yamlElements(text: string, where: string): Params[] {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new LaunchpadError(`${where}.elementsYaml is not YAML: ${describeError(error)}`);
  }
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed) || !parsed.every(isPlainObject)) throw new LaunchpadError(`${where}.elementsYaml must render to a list of mappings, got ${describeValue(parsed)}`);
  return parsed;
}

export function listParams(spec: Readonly<Record<string, unknown>>, goTemplate: boolean, where: string): Params[] {
  const elements = spec.elements ?? [];
  if (!Array.isArray(elements)) throw new LaunchpadError(`${where}.elements must be a list`);
  const params = elements.map((element: unknown, index) => {
    if (!isPlainObject(element)) throw new LaunchpadError(`${where}.elements[${index}] must be a mapping`);
    return goTemplate ? cloneJson(element) : flatElement(element, `${where}.elements[${index}]`);
  });
  if (typeof spec.elementsYaml === 'string' && spec.elementsYaml !== '') params.push(...yamlElements(spec.elementsYaml, where));
  return params;
}
