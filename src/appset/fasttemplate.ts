/**
 * Argo CD's default template syntax: valyala/fasttemplate with `{{` and `}}`, as the ApplicationSet controller
 * drives it. A string with no `{{…}}` on one line is left alone; otherwise each `{{ tag }}` whose trimmed tag names a
 * string parameter is replaced by it, and every other tag (unknown, empty, or a non-string value) is written back
 * exactly as it was. A `{{` without a closing `}}` is an error, as fasttemplate refuses to parse it.
 */
import { LaunchpadError } from '../errors.js';
import type { Params } from './params.js';

const START = '{{';
const END = '}}';

// Go's `.*{{.*}}.*` has no (?s): the tags must sit on one line for the string to count as a template.
const LOOKS_TEMPLATED = /\{\{.*\}\}/;

export function replaceFasttemplate(template: string, params: Readonly<Params>): string {
  if (!LOOKS_TEMPLATED.test(template)) return template;
  let out = '';
  let rest = template;
  for (;;) {
    const start = rest.indexOf(START);
    if (start === -1) return out + rest;
    out += rest.slice(0, start);
    rest = rest.slice(start + START.length);
    const end = rest.indexOf(END);
    if (end === -1) {
      throw new LaunchpadError(`invalid template: cannot find end tag "}}" in ${JSON.stringify(template)}`, { fix: 'close every "{{" with "}}"' });
    }
    const tag = rest.slice(0, end);
    rest = rest.slice(end + END.length);
    const value = params[tag.trim()];
    out += tag.trim() !== '' && typeof value === 'string' ? value : `${START}${tag}${END}`;
  }
}
