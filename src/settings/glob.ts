/**
 * The glob Argo CD matches API groups, cluster URLs and ignore rules' group/kind with (gobwas/glob without
 * separators): `*` any run of characters, `?` one character, `[abc]`/`[a-z]`/`[!a]` a class, `{a,b}` alternatives.
 * Anything else is literal. Compiled patterns are cached: the same few patterns are matched for every object.
 */
const compiled = new Map<string, RegExp>();

function escape(text: string): string {
  return text.replace(/[.+^$()|\\/]/g, '\\$&');
}

function toSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, end);
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (char === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end === -1) out += '\\{';
      else {
        out += `(?:${pattern.slice(i + 1, end).split(',').map(toSource).join('|')})`;
        i = end;
      }
    } else if (char === ']' || char === '}' || char === '[' || char === '{') out += `\\${char}`;
    else out += escape(char);
  }
  return out;
}

export function globMatch(pattern: string, value: string): boolean {
  if (!/[*?[{]/.test(pattern)) return pattern === value;
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^${toSource(pattern)}$`, 's');
    } catch {
      // A pattern that is not a valid glob matches only itself (Argo CD logs and treats it as no match).
      regex = new RegExp(`^${escape(pattern).replace(/[[\]{}*?]/g, '\\$&')}$`);
    }
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}
