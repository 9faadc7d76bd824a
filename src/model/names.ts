/** Kubernetes name rules, as the API server applies them to metadata.name and namespaces. */

const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** DNS-1123 subdomain: lowercase alphanumerics, "-" and ".", alphanumeric at both ends, at most 253 characters. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every((part) => DNS1123_LABEL.test(part));
}

/** DNS-1123 label (namespaces): like a subdomain part, at most 63 characters. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** A valid name close to the given one, to suggest in a fix: `My_App` → `my-app`. */
export function suggestDns1123Name(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/\.{2,}/g, '.')
    .slice(0, 253);
  return cleaned === '' ? 'my-app' : cleaned;
}
