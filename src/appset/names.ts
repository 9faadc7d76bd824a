/**
 * The name helpers Argo CD's ApplicationSet controller applies to generated values: `nameNormalized`,
 * `basenameNormalized`, `branchNormalized` and the `normalize` template function (SanitizeName), and the slugs of
 * pull request branches and the `slugify` function (gosimple/slug with Argo CD's settings).
 */

const MAX_DNS_NAME = 253;

/** Lowercase, every character outside `[-a-z0-9.]` as `-`, at most 253 characters, no leading/trailing `-` or `.`. */
export function sanitizeName(name: string): string {
  const lowered = name.toLowerCase().replace(/[^-a-z0-9.]/g, '-');
  const cut = Buffer.byteLength(lowered) > MAX_DNS_NAME ? lowered.slice(0, MAX_DNS_NAME) : lowered;
  return cut.replace(/^[-.]+|[-.]+$/g, '');
}

export interface SlugOptions {
  /** @default 50 (Argo CD sets it for pull request branches and `slugify`) */
  readonly maxLength?: number;
  /** Cut after a whole word rather than mid-word. @default true */
  readonly smartTruncate?: boolean;
}

// gosimple/slug's default and English substitutions (quotes dropped, dashes unified, & and @ spelled out).
const RUNE_SUBSTITUTIONS: Readonly<Record<string, string>> = {
  '"': '', "'": '', '\u2019': '', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '&': 'and', '@': 'at',
};

/**
 * Non-ASCII letters lose their accents (é → e), as unidecode does for Latin scripts; other scripts are dropped
 * (unidecode transliterates them — a documented gap, and names in such scripts are rare in branch names).
 */
function toAscii(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\t\n\r -~]/g, '');
}

function smartTruncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  for (let index = maxLength; index >= 0; index -= 1) if (text[index] === '-') return text.slice(0, index);
  return text.slice(0, maxLength);
}

/** A URL-friendly slug, as gosimple/slug's Make with Argo CD's settings (`_` → `-`, 50 characters, smart cut). */
export function slugify(text: string, options: SlugOptions = {}): string {
  const maxLength = options.maxLength ?? 50;
  const smart = options.smartTruncate ?? true;
  let slug = text.trim().replace(/_/g, '-').replace(/["'\u2019\u2012-\u2015&@]/g, (char) => RUNE_SUBSTITUTIONS[char] ?? char);
  slug = toAscii(slug).toLowerCase();
  if (!smart && slug.length >= maxLength) slug = slug.slice(0, maxLength);
  slug = slug.replace(/[^a-zA-Z0-9-_]/g, '-').replace(/-+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return maxLength > 0 && smart ? smartTruncate(slug, maxLength) : slug;
}
