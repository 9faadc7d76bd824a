/**
 * The two pattern languages of the git generator, each as Argo CD uses it: directories are matched with Go's
 * `path.Match` (`*` stops at `/`, `[^…]` negates), files are listed with `git ls-files -- <pattern>`, whose pathspec
 * glob lets `*` cross `/` and also matches a literal path or folder prefix.
 */

/** A character class `[…]` starting at `pattern[start]` ('['), as a regex source and where it ends; undefined if malformed. */
function charClass(pattern: string, start: number, negations: readonly string[]): { source: string; end: number } | undefined {
  let index = start + 1;
  let negated = false;
  if (negations.includes(pattern[index] ?? '')) {
    negated = true;
    index += 1;
  }
  let body = '';
  let first = true;
  while (index < pattern.length && (pattern[index] !== ']' || first)) {
    let char = pattern[index] ?? '';
    if (char === '\\') {
      index += 1;
      char = pattern[index] ?? '';
    }
    body += char === '-' && !first && pattern[index + 1] !== ']' ? '-' : char.replace(/[\\\]^-]/g, '\\$&');
    first = false;
    index += 1;
  }
  if (index >= pattern.length || body === '') return undefined;
  return { source: `[${negated ? '^' : ''}${body}]`, end: index };
}

interface GlobFlavour {
  readonly star: string;
  readonly any: string;
  readonly negations: readonly string[];
}

function globToRegExp(pattern: string, flavour: GlobFlavour): RegExp | undefined {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? '';
    if (char === '*') source += flavour.star;
    else if (char === '?') source += flavour.any;
    else if (char === '[') {
      const found = charClass(pattern, index, flavour.negations);
      if (found === undefined) return undefined;
      source += flavour.star === '[^/]*' ? `(?!/)${found.source}` : found.source;
      index = found.end;
    } else if (char === '\\') {
      index += 1;
      if (index >= pattern.length) return undefined;
      source += (pattern[index] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

const GO_PATH: GlobFlavour = { star: '[^/]*', any: '[^/]', negations: ['^'] };
const GIT_WILDMATCH: GlobFlavour = { star: '.*', any: '.', negations: ['!', '^'] };

/** Go's path.Match; a malformed pattern matches nothing (Argo CD logs it and moves on). */
export function goPathMatch(pattern: string, path: string): boolean {
  return globToRegExp(pattern, GO_PATH)?.test(path) ?? false;
}

/** Whether `git ls-files -- pattern` lists `path` (default pathspec magic, from the repository root). */
export function gitPathspecMatch(pattern: string, path: string): boolean {
  const literal = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (literal === '' || literal === '.') return true;
  if (path === literal || path.startsWith(`${literal}/`)) return true;
  return globToRegExp(literal, GIT_WILDMATCH)?.test(path) ?? false;
}
