/**
 * Kyverno's wildcard matching (go-wildcard): `*` matches any run of characters, `?` exactly one character, everything
 * else literally. Used for names, namespaces, kinds, string patterns and the In/Equals operators.
 */
const cache = new Map<string, RegExp>();

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

export function wildcardMatch(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) return pattern === text;
  let regex = cache.get(pattern);
  if (regex === undefined) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
    regex = new RegExp(`^${source}$`, 'u');
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, regex);
  }
  return regex.test(text);
}
