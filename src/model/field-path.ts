/**
 * Field paths name a field inside an object the way users read them in error messages:
 * `spec.sources[1].helm.valueFiles[0]`, `metadata.annotations["argocd.argoproj.io/sync-wave"]`.
 */

/** Keys and list indexes from the root of a document, e.g. `['spec', 'sources', 1, 'helm']`. */
export type FieldPath = readonly (string | number)[];

// Keys that read well after a dot; anything else (dots, slashes, spaces) is quoted in brackets.
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

const TOKEN = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** The inverse of {@link formatFieldPath}. Throws on text that is not a field path (a programming error). */
export function parseFieldPath(text: string): FieldPath {
  const path: (string | number)[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) throw new Error(`not a field path: ${JSON.stringify(text)} (at ${start})`);
    const [, key, index, quoted] = match;
    if (key !== undefined) path.push(key);
    else if (index !== undefined) path.push(Number(index));
    else if (quoted !== undefined) path.push(JSON.parse(quoted) as string);
  }
  return path;
}
