/**
 * Argo CD's `argocd-cm` settings that change what a sync, a diff and a status see: resource exclusions and
 * inclusions, resource customizations (ignoreDifferences, knownTypeFields, health Lua — split keys and the legacy
 * `resource.customizations` blob), `resource.compareoptions`, and the tracking label key and method. Pure: the
 * ConfigMap's `data` in, settings plus problems out. A key that cannot be read is reported (naming the key and the
 * line inside its value) and left at its default — the rest of the ConfigMap still counts; nothing throws.
 */
import { LineCounter, parseDocument } from 'yaml';

/** One `resource.exclusions` / `resource.inclusions` entry. Empty lists match everything (Argo CD). */
export interface FilteredResource {
  readonly apiGroups: readonly string[];
  readonly kinds: readonly string[];
  readonly clusters: readonly string[];
}

export interface OverrideIgnoreDiff {
  readonly jsonPointers: readonly string[];
  readonly jqPathExpressions: readonly string[];
  readonly managedFieldsManagers: readonly string[];
}

/** `field` (dot-separated path) has the Kubernetes type `type` (`core/v1/PodSpec`, `core/Quantity`, `meta/v1/Duration`). */
export interface KnownTypeField {
  readonly field: string;
  readonly type: string;
}

/** What argocd-cm says about one group/kind (`*` + `/` + `*` for all). */
export interface ResourceOverride {
  readonly healthLua?: string;
  readonly useOpenLibs?: boolean;
  readonly actions?: string;
  readonly ignoreDifferences?: OverrideIgnoreDiff;
  readonly ignoreResourceUpdates?: OverrideIgnoreDiff;
  readonly knownTypeFields?: readonly KnownTypeField[];
}

export type TrackingMethod = 'annotation' | 'label' | 'annotation+label';
export type IgnoreStatus = 'all' | 'crd' | 'none';

/** `resource.compareoptions`, with Argo CD's defaults. */
export interface CompareOptions {
  /** @default false */
  readonly ignoreAggregatedRoles: boolean;
  /** @default 'all' */
  readonly ignoreResourceStatusField: IgnoreStatus;
  /** @default true */
  readonly ignoreDifferencesOnResourceUpdates: boolean;
}

export interface ArgoCdSettings {
  /** Where the settings came from, for messages: `ConfigMap argocd/argocd-cm`, a file, or `defaults`. */
  readonly origin: string;
  /** The ConfigMap's data as read (health Lua is evaluated by the health package from here). */
  readonly data: Readonly<Record<string, string>>;
  readonly exclusions: readonly FilteredResource[];
  readonly inclusions: readonly FilteredResource[];
  /** By override key: `group/Kind`, `Kind` (core group) or `*` + `/` + `*`. */
  readonly overrides: ReadonlyMap<string, ResourceOverride>;
  readonly compareOptions: CompareOptions;
  /** @default 'app.kubernetes.io/instance' */
  readonly instanceLabelKey: string;
  /** @default 'annotation' (Argo CD 3's default) */
  readonly trackingMethod: TrackingMethod;
}

export interface ParsedArgoCdCm {
  readonly settings: ArgoCdSettings;
  /** Keys read but not (fully) honoured: unknown values, unsupported types. */
  readonly warnings: readonly string[];
  /** Keys that could not be read at all (bad YAML, wrong shape): they were left at their defaults. */
  readonly errors: readonly string[];
}

export const DEFAULT_INSTANCE_LABEL_KEY = 'app.kubernetes.io/instance';
export const ARGOCD_CM_NAME = 'argocd-cm';

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { ignoreAggregatedRoles: false, ignoreResourceStatusField: 'all', ignoreDifferencesOnResourceUpdates: true };

export const DEFAULT_ARGOCD_SETTINGS: ArgoCdSettings = {
  origin: 'defaults',
  data: {},
  exclusions: [],
  inclusions: [],
  overrides: new Map(),
  compareOptions: DEFAULT_COMPARE_OPTIONS,
  instanceLabelKey: DEFAULT_INSTANCE_LABEL_KEY,
  trackingMethod: 'annotation',
};

const KEY = {
  exclusions: 'resource.exclusions',
  inclusions: 'resource.inclusions',
  customizations: 'resource.customizations',
  compareOptions: 'resource.compareoptions',
  instanceLabelKey: 'application.instanceLabelKey',
  trackingMethod: 'application.resourceTrackingMethod',
} as const;

export interface ParseOrigin {
  /** For messages. @default 'argocd-cm' */
  readonly label?: string;
  /** The file the ConfigMap came from, and the line each data key's value starts on in it (for file:line). */
  readonly file?: string;
  readonly valueLines?: ReadonlyMap<string, number>;
}

/** Collects problems, each naming the key and the line — of the file when known, else inside the key's value. */
class Problems {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];

  constructor(private readonly origin: ParseOrigin) {}

  private where(key: string, line: number | undefined): string {
    const start = this.origin.valueLines?.get(key);
    if (this.origin.file !== undefined && start !== undefined) return `${this.origin.file}:${start + (line ?? 1) - 1}: ${ARGOCD_CM_NAME} key "${key}"`;
    const prefix = this.origin.file === undefined ? '' : `${this.origin.file}: `;
    return `${prefix}${ARGOCD_CM_NAME} key "${key}"${line === undefined ? '' : ` line ${line}`}`;
  }

  warn(key: string, message: string, line?: number): void {
    this.warnings.push(`${this.where(key, line)}: ${message}`);
  }

  error(key: string, message: string, line?: number): void {
    this.errors.push(`${this.where(key, line)}: ${message}`);
  }
}

/** A key's YAML value; undefined (and an error naming key and line) when it does not parse. */
function parseYamlValue(key: string, text: string, problems: Problems): { ok: true; value: unknown } | { ok: false } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, logLevel: 'error', merge: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = lines.linePos(first.pos[0]).line;
    problems.error(key, `not valid YAML: ${first.message.split('\n')[0] ?? ''} — fix the value (it was ignored)`, line);
    return { ok: false };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, what: string, fail: (message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
    fail(`${what} must be a list of strings`);
    return [];
  }
  return value.map(String);
}

function readFilteredResources(key: string, text: string, problems: Problems): FilteredResource[] {
  if (text.trim() === '') return [];
  const parsed = parseYamlValue(key, text, problems);
  if (!parsed.ok || parsed.value === null || parsed.value === undefined) return [];
  if (!Array.isArray(parsed.value)) {
    problems.error(key, 'must be a YAML list of {apiGroups, kinds, clusters} (it was ignored)');
    return [];
  }
  const result: FilteredResource[] = [];
  parsed.value.forEach((entry, index) => {
    const state = { broken: false };
    const fail = (message: string): void => {
      state.broken = true;
      problems.error(key, `entry ${index + 1}: ${message} (the entry was ignored)`);
    };
    if (!isRecord(entry)) {
      fail('must be a mapping with apiGroups, kinds and clusters');
      return;
    }
    for (const field of Object.keys(entry)) if (!['apiGroups', 'kinds', 'clusters'].includes(field)) problems.warn(key, `entry ${index + 1}: unknown field "${field}" ignored (known: apiGroups, kinds, clusters)`);
    const filtered = { apiGroups: stringList(entry.apiGroups, 'apiGroups', fail), kinds: stringList(entry.kinds, 'kinds', fail), clusters: stringList(entry.clusters, 'clusters', fail) };
    if (!state.broken) result.push(filtered);
  });
  return result;
}

function readIgnoreDiff(key: string, value: unknown, problems: Problems): OverrideIgnoreDiff | undefined {
  if (value === null || value === undefined) return { jsonPointers: [], jqPathExpressions: [], managedFieldsManagers: [] };
  if (!isRecord(value)) {
    problems.error(key, 'must be a mapping with jsonPointers, jqPathExpressions and/or managedFieldsManagers (it was ignored)');
    return undefined;
  }
  const state = { broken: false };
  const fail = (message: string): void => {
    state.broken = true;
    problems.error(key, `${message} (it was ignored)`);
  };
  const result = {
    jsonPointers: stringList(value.jsonPointers, 'jsonPointers', fail),
    jqPathExpressions: stringList(value.jqPathExpressions, 'jqPathExpressions', fail),
    managedFieldsManagers: stringList(value.managedFieldsManagers, 'managedFieldsManagers', fail),
  };
  for (const pointer of result.jsonPointers) if (pointer !== '' && !pointer.startsWith('/')) fail(`jsonPointer "${pointer}" must start with "/"`);
  return state.broken ? undefined : result;
}

function readKnownTypeFields(key: string, value: unknown, problems: Problems): KnownTypeField[] | undefined {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.error(key, 'must be a YAML list of {field, type} (it was ignored)');
    return undefined;
  }
  const result: KnownTypeField[] = [];
  value.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.field !== 'string' || typeof entry.type !== 'string' || entry.field === '') {
      problems.error(key, `entry ${index + 1}: needs a field (dot-separated path) and a type such as core/v1/PodSpec (the entry was ignored)`);
      return;
    }
    result.push({ field: entry.field, type: entry.type });
  });
  return result;
}

/** `cert-manager.io_Certificate` → `cert-manager.io/Certificate`, `Service` → `Service`, `all` → every kind. */
function overrideKeyOf(groupKind: string): string | undefined {
  if (groupKind === 'all') return '*/*';
  const parts = groupKind.split('_');
  if (parts.length === 2) return `${parts[0] ?? ''}/${parts[1] ?? ''}`;
  if (parts.length === 1 && groupKind !== '') return groupKind;
  return undefined;
}

type MutableOverride = { -readonly [K in keyof ResourceOverride]: ResourceOverride[K] };

function readSplitKey(key: string, value: string, overrides: Map<string, MutableOverride>, problems: Problems): void {
  // resource.customizations.<type>.<group_kind>; the group itself may contain dots.
  const rest = key.slice(KEY.customizations.length + 1);
  const dot = rest.indexOf('.');
  const type = dot === -1 ? rest : rest.slice(0, dot);
  const overrideKey = dot === -1 ? undefined : overrideKeyOf(rest.slice(dot + 1));
  if (overrideKey === undefined) {
    problems.error(key, 'must be resource.customizations.<type>.<group>_<Kind> (or .<Kind> for the core group, .all for every kind) (it was ignored)');
    return;
  }
  const override = overrides.get(overrideKey) ?? {};
  switch (type) {
    case 'health': override.healthLua = value; break;
    // Go's strconv.ParseBool, as Argo CD reads it: 1, t, T, TRUE, true, True.
    case 'useOpenLibs': override.useOpenLibs = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value.trim()); break;
    case 'actions': override.actions = value; break;
    case 'ignoreDifferences':
    case 'ignoreResourceUpdates': {
      const parsed = parseYamlValue(key, value, problems);
      const diff = parsed.ok ? readIgnoreDiff(key, parsed.value, problems) : undefined;
      if (diff !== undefined) override[type] = diff;
      break;
    }
    case 'knownTypeFields': {
      const parsed = parseYamlValue(key, value, problems);
      const fields = parsed.ok ? readKnownTypeFields(key, parsed.value, problems) : undefined;
      if (fields !== undefined) override.knownTypeFields = fields;
      break;
    }
    default:
      problems.warn(key, `customization type "${type}" is not supported (known: health, useOpenLibs, actions, ignoreDifferences, ignoreResourceUpdates, knownTypeFields); ignored`);
      return;
  }
  overrides.set(overrideKey, override);
}

/** The legacy blob: a YAML map of `group/Kind` → {health.lua, ignoreDifferences (a YAML string), knownTypeFields…}. */
function readCustomizationsBlob(text: string, overrides: Map<string, MutableOverride>, problems: Problems): void {
  const key = KEY.customizations;
  const parsed = parseYamlValue(key, text, problems);
  if (!parsed.ok || parsed.value === null || parsed.value === undefined) return;
  if (!isRecord(parsed.value)) {
    problems.error(key, 'must be a YAML map of <group>/<Kind> to customizations (it was ignored)');
    return;
  }
  for (const [groupKind, raw] of Object.entries(parsed.value)) {
    if (!isRecord(raw)) {
      problems.error(key, `"${groupKind}" must be a mapping (health.lua, ignoreDifferences, knownTypeFields…) (it was ignored)`);
      continue;
    }
    overrides.set(groupKind === 'all' ? '*/*' : groupKind, readBlobEntry(`${key}: ${groupKind}`, raw, problems));
  }
}

/** One `group/Kind` entry of the legacy blob. */
function readBlobEntry(what: string, raw: Record<string, unknown>, problems: Problems): MutableOverride {
  const override: MutableOverride = {};
  if (typeof raw['health.lua'] === 'string') override.healthLua = raw['health.lua'];
  if (raw['health.lua.useOpenLibs'] === true) override.useOpenLibs = true;
  if (typeof raw.actions === 'string') override.actions = raw.actions;
  for (const field of ['ignoreDifferences', 'ignoreResourceUpdates'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    // Argo CD stores these as YAML text inside the YAML; a mapping written inline is accepted too.
    const inner = typeof value === 'string' ? parseYamlValue(what, value, problems) : { ok: true as const, value };
    const diff = inner.ok ? readIgnoreDiff(what, inner.value, problems) : undefined;
    if (diff !== undefined) override[field] = diff;
  }
  if (raw.knownTypeFields !== undefined) {
    const fields = readKnownTypeFields(what, raw.knownTypeFields, problems);
    if (fields !== undefined) override.knownTypeFields = fields;
  }
  return override;
}

function readCompareOptions(text: string, problems: Problems): CompareOptions {
  const key = KEY.compareOptions;
  const parsed = parseYamlValue(key, text, problems);
  if (!parsed.ok || parsed.value === null || parsed.value === undefined) return DEFAULT_COMPARE_OPTIONS;
  if (!isRecord(parsed.value)) {
    problems.error(key, 'must be a mapping (ignoreAggregatedRoles, ignoreResourceStatusField, ignoreDifferencesOnResourceUpdates) (it was ignored)');
    return DEFAULT_COMPARE_OPTIONS;
  }
  const value = parsed.value;
  const flag = (name: keyof CompareOptions, fallback: boolean): boolean => {
    const raw = value[name];
    if (raw === undefined) return fallback;
    if (typeof raw === 'boolean') return raw;
    problems.error(key, `${name} must be true or false, not ${JSON.stringify(raw)} (default ${String(fallback)} used)`);
    return fallback;
  };
  for (const field of Object.keys(value)) {
    if (!['ignoreAggregatedRoles', 'ignoreResourceStatusField', 'ignoreDifferencesOnResourceUpdates'].includes(field)) problems.warn(key, `unknown option "${field}" ignored`);
  }
  return {
    ignoreAggregatedRoles: flag('ignoreAggregatedRoles', false),
    ignoreResourceStatusField: ignoreStatusOf(value.ignoreResourceStatusField, problems),
    ignoreDifferencesOnResourceUpdates: flag('ignoreDifferencesOnResourceUpdates', true),
  };
}

function ignoreStatusOf(raw: unknown, problems: Problems): IgnoreStatus {
  // YAML 1.1 readers turn `off` into false; Argo CD accepts both spellings as "none".
  if (raw === undefined || raw === null || raw === '' || raw === 'all') return 'all';
  if (raw === 'crd') return 'crd';
  if (raw === 'none' || raw === 'off' || raw === 'false' || raw === false) return 'none';
  problems.warn(KEY.compareOptions, `ignoreResourceStatusField ${JSON.stringify(raw)} is not one of all, crd, none: status is ignored for all resources (as Argo CD does)`);
  return 'all';
}

function readTrackingMethod(text: string, problems: Problems): TrackingMethod {
  const value = text.trim();
  if (value === '') return 'annotation';
  if (value === 'annotation' || value === 'label' || value === 'annotation+label') return value;
  problems.error(KEY.trackingMethod, `"${value}" is not a tracking method (annotation, label or annotation+label); annotation used`);
  return 'annotation';
}

/** Resource customizations: the legacy blob first, then the split keys, which win for the fields they set (Argo CD). */
function readOverrides(data: Readonly<Record<string, string>>, problems: Problems): Map<string, MutableOverride> {
  const overrides = new Map<string, MutableOverride>();
  const blob = data[KEY.customizations];
  if (blob !== undefined && blob.trim() !== '') readCustomizationsBlob(blob, overrides, problems);
  for (const [key, value] of Object.entries(data).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith(`${KEY.customizations}.`)) readSplitKey(key, value, overrides, problems);
  }
  return overrides;
}

/**
 * Reads the settings Launchpad honours from an argocd-cm `data` map. Keys it does not use (URLs, SSO, UI) are
 * kept in `data` and otherwise ignored. Never throws.
 */
export function parseArgoCdCm(data: Readonly<Record<string, string>>, origin: ParseOrigin = {}): ParsedArgoCdCm {
  const problems = new Problems(origin);
  const overrides = readOverrides(data, problems);
  const compareOptions = data[KEY.compareOptions];
  const labelKey = data[KEY.instanceLabelKey]?.trim() ?? '';
  const settings: ArgoCdSettings = {
    origin: origin.label ?? (origin.file ?? ARGOCD_CM_NAME),
    data: { ...data },
    exclusions: readFilteredResources(KEY.exclusions, data[KEY.exclusions] ?? '', problems),
    inclusions: readFilteredResources(KEY.inclusions, data[KEY.inclusions] ?? '', problems),
    overrides,
    compareOptions: compareOptions === undefined ? DEFAULT_COMPARE_OPTIONS : readCompareOptions(compareOptions, problems),
    instanceLabelKey: labelKey === '' ? DEFAULT_INSTANCE_LABEL_KEY : labelKey,
    trackingMethod: readTrackingMethod(data[KEY.trackingMethod] ?? '', problems),
  };
  return { settings, warnings: problems.warnings, errors: problems.errors };
}

/** Health Lua scripts by `group/Kind` (or `Kind`, or every kind) — for the Lua health package. */
export function healthCustomizations(settings: ArgoCdSettings): Map<string, { readonly lua: string; readonly useOpenLibs: boolean }> {
  const result = new Map<string, { lua: string; useOpenLibs: boolean }>();
  for (const [key, override] of settings.overrides) {
    if (override.healthLua !== undefined && override.healthLua.trim() !== '') result.set(key, { lua: override.healthLua, useOpenLibs: override.useOpenLibs === true });
  }
  return result;
}
