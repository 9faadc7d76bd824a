/**
 * Kyverno's anchors on pattern keys: `(key)` conditional, `<(key)` global, `X(key)` negation, `^(key)` existence,
 * `=(key)` equality and `+(key)` add-if-not-present. See https://kyverno.io/docs/writing-policies/validate/#anchors.
 */
export type AnchorType = 'condition' | 'global' | 'negation' | 'existence' | 'equality' | 'addIfNotPresent';

export interface Anchor {
  readonly type: AnchorType;
  readonly key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/;
const MODIFIERS: Readonly<Record<string, AnchorType>> = {
  '': 'condition',
  '<': 'global',
  X: 'negation',
  '^': 'existence',
  '=': 'equality',
  '+': 'addIfNotPresent',
};

const cache = new Map<string, Anchor | null>();

/** The anchor a pattern key carries, or undefined for a plain key. */
export function parseAnchor(key: string): Anchor | undefined {
  let anchor = cache.get(key);
  if (anchor === undefined) {
    const match = ANCHOR.exec(key.trim());
    anchor = match === null ? null : { type: MODIFIERS[match[1] ?? ''] ?? 'condition', key: match[2] ?? '' };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, anchor);
  }
  return anchor ?? undefined;
}

/** The key without its anchor. */
export function plainKey(key: string): string {
  return parseAnchor(key)?.key ?? key;
}
