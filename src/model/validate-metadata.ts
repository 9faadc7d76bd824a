/** Checks on metadata shared by every kind Launchpad reads: a valid name, a valid namespace, a valid sync wave. */
import { ANNOTATION } from './annotations.js';
import type { KubeMetadata } from './application.js';
import type { Findings } from './findings.js';
import { INT32_MAX, INT32_MIN, isGiven } from './readers.js';
import { isDns1123Label, isDns1123Subdomain, suggestDns1123Name } from './names.js';

const INTEGER = /^[+-]?\d+$/;

function checkSyncWave(annotations: KubeMetadata['annotations'], findings: Findings): void {
  const wave = annotations?.[ANNOTATION.syncWave];
  if (wave === undefined) return;
  const at = ['metadata', 'annotations', ANNOTATION.syncWave];
  if (!INTEGER.test(wave.trim())) {
    findings.error(at, `sync wave ${JSON.stringify(wave)} is not an integer`, 'use a whole number in quotes, such as "-1", "0" or "2"; lower waves sync first');
    return;
  }
  const value = Number(wave.trim());
  if (value < INT32_MIN || value > INT32_MAX) {
    findings.error(at, `sync wave ${JSON.stringify(wave.length > 40 ? `${wave.slice(0, 40)}…` : wave)} is out of range (a 32-bit integer: ${INT32_MIN} to ${INT32_MAX})`, 'use a small whole number such as "-1", "0" or "2"; lower waves sync first');
  }
}

/**
 * Checks the metadata read so far and returns it complete (with its name), or undefined when it is unusable.
 * `kind` names the object in messages ("Application", "AppProject").
 */
export function checkMetadata(metadata: Partial<KubeMetadata> | undefined, kind: string, findings: Findings): KubeMetadata | undefined {
  if (metadata === undefined) {
    findings.error(['metadata'], 'required field is missing', `add metadata with the ${kind}'s name, e.g. metadata: { name: my-app }`);
    return undefined;
  }
  const { name, namespace } = metadata;
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    findings.error(['metadata', 'namespace'], `${JSON.stringify(namespace)} is not a valid namespace`, `use lowercase letters, digits and "-", e.g. ${JSON.stringify(suggestDns1123Name(namespace).replace(/\./g, '-').slice(0, 63))}`);
  }
  checkSyncWave(metadata.annotations, findings);
  if (name === undefined || name === '') {
    if (!isGiven(metadata, 'name') || name === '') findings.error(['metadata', 'name'], 'required field is missing', `give the ${kind} a name, e.g. name: my-app`);
    return undefined;
  }
  if (!isDns1123Subdomain(name)) {
    findings.error(
      ['metadata', 'name'],
      `${JSON.stringify(name)} is not a valid name: use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253 characters)`,
      `rename it, e.g. ${JSON.stringify(suggestDns1123Name(name))}`,
    );
    return undefined;
  }
  return { ...metadata, name };
}
