/**
 * `goTemplate: true`: each string of the template goes through Go's text/template (Launchpad's engine in
 * src/gotemplate) with the Sprig functions Argo CD allows — `env`, `expandenv` and `getHostByName` are removed, as
 * Argo CD removes them, so a template cannot read the controller's environment or the network — plus Argo CD's own
 * `normalize`, `slugify`, `toYaml`, `fromYaml` and `fromYamlArray`. Compiled templates are kept by text and options:
 * 2,000 Applications from one template compile each string once.
 */
import { parse, stringify } from 'yaml';
import { LaunchpadError } from '../errors.js';
import { compileGoTemplate, SPRIG_FUNCTIONS } from '../gotemplate/index.js';
import type { CompiledGoTemplate, GoTemplateFunction, GoTemplateOptions } from '../gotemplate/types.js';
import { isPlainObject } from '../model/values.js';
import { sanitizeName, slugify } from './names.js';

type MissingKey = NonNullable<GoTemplateOptions['missingKey']>;

const REMOVED_FUNCTIONS = new Set(['env', 'expandenv', 'getHostByName']);

function slugifyFunction(...args: unknown[]): string {
  const name = args.at(-1);
  if (typeof name !== 'string') throw new LaunchpadError('slugify: the last argument must be the text to slugify');
  const maxLength = args.length > 1 ? args[0] : 50;
  const smart = args.length > 2 ? args[1] : true;
  if (typeof maxLength !== 'number' || typeof smart !== 'boolean') throw new LaunchpadError('slugify: use slugify [maxSize] [smartTruncate] text, e.g. {{ slugify 20 false .branch }}');
  return slugify(sanitizeName(name), { maxLength, smartTruncate: smart });
}

function fromYaml(text: unknown): Record<string, unknown> {
  const parsed: unknown = parse(String(text));
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw new LaunchpadError('fromYaml: the text is not a YAML mapping', { fix: 'use fromYamlArray for a list' });
  return parsed;
}

function fromYamlArray(text: unknown): unknown[] {
  const parsed: unknown = parse(String(text));
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed)) throw new LaunchpadError('fromYamlArray: the text is not a YAML list', { fix: 'use fromYaml for a mapping' });
  return parsed;
}

function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

let functions: Readonly<Record<string, GoTemplateFunction>> | undefined;

/** Sprig without the removed functions, plus Argo CD's; built once. */
export function applicationSetFunctions(): Readonly<Record<string, GoTemplateFunction>> {
  functions ??= {
    ...Object.fromEntries(Object.entries(SPRIG_FUNCTIONS).filter(([name]) => !REMOVED_FUNCTIONS.has(name))),
    normalize: (name: unknown) => sanitizeName(String(name)),
    slugify: slugifyFunction,
    toYaml,
    fromYaml,
    fromYamlArray,
  };
  return functions;
}

/** `goTemplateOptions` as text/template's Option calls take them; only `missingkey=…` exists. */
export function readGoTemplateOptions(options: readonly string[]): MissingKey {
  let missingKey: MissingKey = 'default';
  for (const option of options) {
    const match = /^missingkey=(default|invalid|zero|error)$/.exec(option);
    if (match?.[1] === undefined) throw new LaunchpadError(`goTemplateOptions: unknown option ${JSON.stringify(option)}`, { fix: 'the only option is missingkey=default|invalid|zero|error' });
    missingKey = match[1] as MissingKey;
  }
  return missingKey;
}

/** Compiles and runs Go templates, keeping each compiled text for the next Application. */
export class GoTemplateCache {
  private readonly compiled = new Map<string, CompiledGoTemplate>();

  constructor(private readonly name: string) {}

  execute(text: string, data: unknown, missingKey: MissingKey): string {
    const key = `${missingKey}\u0000${text}`;
    let template = this.compiled.get(key);
    if (template === undefined) {
      template = compileGoTemplate(text, { name: this.name, missingKey, functions: applicationSetFunctions() });
      this.compiled.set(key, template);
    }
    return template.execute(data);
  }
}
