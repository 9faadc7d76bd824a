/**
 * `spec.template.data`: Go text/template strings (with Sprig functions in Bitnami's controller) rendered over the
 * decrypted values, e.g. `postgres://app:{{ .password }}@db/app`. Launchpad implements the part people write —
 * literal text, `{{ .key }}`, `{{ index . "key.with.dots" }}`, comment actions and the `{{-`/`-}}` trim
 * markers — with Go's results (a missing `.key` prints `<no value>`, a missing `index` prints nothing), and refuses
 * everything else (pipelines, Sprig functions, if/range) by name instead of rendering something different.
 */

export class TemplateUnsupportedError extends Error {}

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;
const INDEX = /^index\s+\.\s+"((?:[^"\\]|\\.)*)"$/;
const COMMENT = /^\/\*[\s\S]*\*\/$/;

export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  let output = '';
  let last = 0;
  let trimNext = false;
  for (const match of template.matchAll(ACTION)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1] !== undefined) text = text.replace(/\s+$/, '');
    output += text;
    output += evaluate((match[2] ?? '').trim(), values);
    trimNext = match[3] !== undefined;
    last = match.index + match[0].length;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  if (tail.includes('{{')) throw new TemplateUnsupportedError('an unclosed "{{" action');
  return output + tail;
}

function evaluate(action: string, values: Readonly<Record<string, string>>): string {
  if (COMMENT.test(action)) return '';
  const field = FIELD.exec(action);
  if (field) return Object.hasOwn(values, field[1] ?? '') ? (values[field[1] ?? ''] ?? '') : '<no value>';
  const index = INDEX.exec(action);
  if (index) {
    const key = JSON.parse(`"${index[1] ?? ''}"`) as string;
    return Object.hasOwn(values, key) ? (values[key] ?? '') : '';
  }
  const word = action.split(/\s+/)[0] ?? action;
  throw new TemplateUnsupportedError(
    `the template action {{ ${word}${action.length > word.length ? ' …' : ''} }} is not supported by Launchpad (supported: {{ .key }}, {{ index . "key" }}, comments and trim markers)`,
  );
}
