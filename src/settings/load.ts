/**
 * Where argocd-cm comes from: the cluster (`argocd-cm` in the Argo CD namespace — a missing ConfigMap means Argo CD's
 * defaults, one the credentials may not read means defaults and a warning) or a file given offline (a ConfigMap
 * manifest; problems then name the file and line).
 */
import { InputError, KubeError, LaunchpadError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import type { ParsedArgoCdCm } from '../model/argocd-cm.js';
import { ARGOCD_CM_NAME, DEFAULT_ARGOCD_SETTINGS, parseArgoCdCm } from '../model/argocd-cm.js';
import { parseYamlDocuments } from '../model/yaml-documents.js';
import { readTextFile } from '../source/read-text.js';
import { unsupportedKnownTypes } from './known-types.js';

/** Where Argo CD (and Launchpad's controller) keep their settings. @default 'argocd' */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';

function withTypeWarnings(parsed: ParsedArgoCdCm): ParsedArgoCdCm {
  const extra = unsupportedKnownTypes(parsed.settings);
  return extra.length === 0 ? parsed : { ...parsed, warnings: [...parsed.warnings, ...extra] };
}

function stringData(data: unknown, where: string): Record<string, string> {
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new LaunchpadError(`${where}: data must be a map of strings`);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    // A ConfigMap's values are strings; a YAML number or boolean in a file is what the user meant as text.
    if (typeof value === 'string') result[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
  }
  return result;
}

/** Reads argocd-cm from the cluster. Missing → defaults; forbidden → defaults and a warning; other failures throw. */
export async function readArgoCdSettings(client: KubeClient, namespace: string = DEFAULT_ARGOCD_NAMESPACE): Promise<ParsedArgoCdCm> {
  const label = `ConfigMap ${namespace}/${ARGOCD_CM_NAME}`;
  try {
    const configMap = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: ARGOCD_CM_NAME });
    if (configMap === undefined) return { settings: { ...DEFAULT_ARGOCD_SETTINGS, origin: `defaults (no ${label})` }, warnings: [], errors: [] };
    return withTypeWarnings(parseArgoCdCm(stringData(configMap.data, label), { label }));
  } catch (error) {
    if (error instanceof KubeError && error.status === 403) {
      return {
        settings: { ...DEFAULT_ARGOCD_SETTINGS, origin: `defaults (${label} not readable)` },
        warnings: [`cannot read ${label} (forbidden): Argo CD's default settings are used — grant get on configmaps "${ARGOCD_CM_NAME}" in ${namespace}, or pass --argocd-cm <file>`],
        errors: [],
      };
    }
    throw error;
  }
}

/** Line (1-based) where each data key's value starts in the file: a block scalar's text begins on the next line. */
function valueLines(text: string, keys: readonly string[], position: (key: string) => number | undefined): Map<string, number> {
  const lines = text.split('\n');
  const result = new Map<string, number>();
  for (const key of keys) {
    const line = position(key);
    if (line === undefined) continue;
    const content = lines[line - 1] ?? '';
    result.set(key, /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(content) ? line + 1 : line);
  }
  return result;
}

/** Reads argocd-cm from a file: a ConfigMap manifest (the first ConfigMap, `argocd-cm` preferred, of the file). */
export async function loadArgoCdSettingsFile(file: string): Promise<ParsedArgoCdCm> {
  const text = await readTextFile(file, 'pass the path of an argocd-cm ConfigMap manifest (kubectl get cm argocd-cm -n argocd -o yaml)');
  const parsed = parseYamlDocuments(text, file);
  const [firstError] = parsed.errors;
  if (firstError !== undefined) throw firstError;
  const configMaps = parsed.documents.filter((doc) => (doc.value as { kind?: unknown }).kind === 'ConfigMap');
  const chosen = configMaps.find((doc) => (doc.value as { metadata?: { name?: unknown } }).metadata?.name === ARGOCD_CM_NAME) ?? configMaps[0];
  if (chosen === undefined) throw new InputError({ file }, 'no ConfigMap in this file', { fix: 'pass an argocd-cm ConfigMap manifest (apiVersion: v1, kind: ConfigMap, data: …)' });
  const data = stringData((chosen.value as { data?: unknown }).data, file);
  const lines = valueLines(text, Object.keys(data), (key) => chosen.positionOf(['data', key]).line);
  return withTypeWarnings(parseArgoCdCm(data, { file, valueLines: lines }));
}
