/**
 * Go's RE2 syntax on JavaScript's engine. The common syntax is shared; Go's `(?P<name>…)`, `(?i)`-style leading
 * flags and `\z` are translated; what JavaScript would read differently (backreferences, lookaround, which RE2
 * rejects) is refused with Go's own error wording.
 */
import { GoFunctionError } from '../errors.js';

const cache = new Map<string, RegExp>();

export function goRegex(pattern: string, extraFlags = ''): RegExp {
  const key = `${extraFlags}/${pattern}`;
  const cached = cache.get(key);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  if (/\\[1-9]|\(\?[=!<][^P]|\(\?<[=!]/.test(pattern)) throw new GoFunctionError(`error parsing regexp: invalid or unsupported Perl syntax: \`${pattern}\``);
  let flags = 'u' + extraFlags;
  let source = pattern.replaceAll('(?P<', '(?<').replaceAll('\\z', '$(?![\\s\\S])');
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading?.[1] !== undefined) {
    if (leading[1].includes('i')) flags += 'i';
    if (leading[1].includes('m')) flags += 'm';
    if (leading[1].includes('s')) flags += 's';
    source = source.slice(leading[0].length);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    throw new GoFunctionError(`error parsing regexp: ${(error as Error).message}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, regex);
  return regex;
}

/** Regexp.Expand's template: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group expands to nothing. */
export function goReplaceTemplate(template: string): (match: string, ...rest: unknown[]) => string {
  return (match: string, ...rest: unknown[]): string => {
    const last = rest[rest.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    const groups = rest.slice(0, typeof last === 'object' && last !== null ? -3 : -2) as Array<string | undefined>;
    return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_whole, token: string, braced?: string, bare?: string) => {
      if (token === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) {
        const index = Number(name);
        return index === 0 ? match : groups[index - 1] ?? '';
      }
      return named[name] ?? '';
    });
  };
}
