/**
 * Substitution of parameters into templates, as Argo CD's `Render` does it: every string and every map key of the
 * template, at any depth, is a template of its own (fasttemplate, or Go text/template with `goTemplate: true`).
 */
import { LaunchpadError } from '../errors.js';
import { describeError } from '../errors.js';
import { isPlainObject } from '../model/values.js';
import { replaceFasttemplate } from './fasttemplate.js';
import type { GoTemplateCache } from './go-template.js';
import type { Params } from './params.js';

export interface TemplateMode {
  readonly goTemplate: boolean;
  /** goTemplateOptions' `missingkey`. */
  readonly missingKey: 'default' | 'invalid' | 'zero' | 'error';
  /** Compiled Go templates of this ApplicationSet. */
  readonly go: GoTemplateCache;
}

/** One string through the set's template engine. */
export function replaceString(text: string, params: Readonly<Params>, mode: TemplateMode): string {
  if (!mode.goTemplate) return replaceFasttemplate(text, params);
  // A text without an action prints itself: no need to parse it (most strings of a template are plain).
  if (!text.includes('{{')) return text;
  try {
    return mode.go.execute(text, params, mode.missingKey);
  } catch (error) {
    throw new LaunchpadError(`failed to execute go template ${text}: ${describeError(error)}`, { cause: error });
  }
}

/** Every string and map key of `value`, substituted; a new value (the template is never changed). */
export function deepReplace(value: unknown, params: Readonly<Params>, mode: TemplateMode): unknown {
  if (typeof value === 'string') return replaceString(value, params, mode);
  if (Array.isArray(value)) return value.map((item) => deepReplace(item, params, mode));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // Go's reflection skips nil map entries; JSON nulls are dropped the same way.
      if (inner === null) continue;
      out[replaceString(key, params, mode)] = deepReplace(inner, params, mode);
    }
    return out;
  }
  return value;
}
