/**
 * An Application's `directory.jsonnet` block — `extVars`, `tlas` (each `{name, value, code}`) and `libs` — read,
 * checked, and given Argo CD's build environment: `$ARGOCD_APP_NAME` and the other ARGOCD_APP_* variables are
 * substituted into every extVar and tla value before Jsonnet sees it, with the rules of Go's os.Expand (Argo CD's
 * Env.Envsubst): `$NAME` and `${NAME}` expand, an unknown name expands to nothing, `$$` is a literal `$`.
 */
import { RenderError } from '../errors.js';
import type { Application, ApplicationSource } from '../model/application.js';
import { describeValue, isPlainObject } from '../model/values.js';

export interface JsonnetVariable {
  readonly name: string;
  readonly value: string;
  /** The value is Jsonnet code (`--ext-code`/`--tla-code`), not a string. */
  readonly code: boolean;
  /** Where it was written, for errors: `directory.jsonnet.extVars[0]`. */
  readonly field: string;
}

export interface JsonnetOptions {
  readonly extVars: readonly JsonnetVariable[];
  readonly tlas: readonly JsonnetVariable[];
  /** Library folders (JPATH), relative to the repository root as written. */
  readonly libs: readonly string[];
}

const FIELD = 'spec.source.directory.jsonnet';

function fail(field: string, problem: string, fix: string): never {
  throw new RenderError(`${FIELD}.${field} ${problem}`, { fix });
}

function readList(raw: Readonly<Record<string, unknown>>, key: string): readonly unknown[] {
  const value = raw[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(key, `is ${describeValue(value)}, not a list`, `write ${key} as a list`);
  return value;
}

function readVariable(item: unknown, field: string): JsonnetVariable {
  if (!isPlainObject(item)) fail(field, `is ${describeValue(item)}, not a mapping`, 'write each entry as {name: ..., value: ..., code: false}');
  const { name, value, code } = item;
  if (typeof name !== 'string' || name === '') fail(`${field}.name`, 'is missing or empty', 'give the variable a name');
  // The jsonnet command line takes `name=value`: a name with "=", or one starting with "-" (read as an option), could
  // not be passed faithfully — and no real Jsonnet code uses such names.
  if (name.includes('=') || name.startsWith('-')) fail(`${field}.name`, `"${name}" cannot be passed to Jsonnet`, 'use a name without "=" that does not start with "-"');
  if (typeof value !== 'string') fail(`${field}.value`, `of "${name}" is ${describeValue(value)}, not a string`, 'quote the value (Argo CD takes strings; set code: true to pass Jsonnet code such as 3 or {a: 1})');
  if (code !== undefined && code !== null && typeof code !== 'boolean') fail(`${field}.code`, `of "${name}" is ${describeValue(code)}, not true or false`, 'write code: true or code: false');
  return { name, value, code: code === true, field: `directory.jsonnet.${field}` };
}

/** Reads and checks the block (undefined → nothing set). Throws a RenderError naming the field. */
export function readJsonnetOptions(raw: Readonly<Record<string, unknown>> | undefined): JsonnetOptions {
  if (raw === undefined) return { extVars: [], tlas: [], libs: [] };
  const extVars = readList(raw, 'extVars').map((item, i) => readVariable(item, `extVars[${i}]`));
  const tlas = readList(raw, 'tlas').map((item, i) => readVariable(item, `tlas[${i}]`));
  const libs = readList(raw, 'libs').map((lib, i) => {
    if (typeof lib !== 'string' || lib === '') fail(`libs[${i}]`, `is ${describeValue(lib)}, not a folder path`, 'list folders relative to the repository root, e.g. vendor');
    return lib;
  });
  return { extVars, tlas, libs };
}

/** The ARGOCD_APP_* variables Argo CD offers Jsonnet (its repo-server's newEnv), for one source at one revision. */
export function argoBuildEnvironment(app: Application, source: ApplicationSource, revision: string): Readonly<Record<string, string>> {
  return {
    ARGOCD_APP_NAME: app.metadata.name,
    ARGOCD_APP_NAMESPACE: app.spec.destination.namespace ?? '',
    ARGOCD_APP_PROJECT_NAME: app.spec.project,
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL,
    ARGOCD_APP_SOURCE_PATH: source.path ?? '',
    // As written in the spec: Argo CD does not default an empty targetRevision to HEAD here.
    ARGOCD_APP_SOURCE_TARGET_REVISION: source.targetRevision ?? '',
  };
}

const SPECIAL_NAME = /^[*#$@!?\-0-9]$/;
const NAME_CHARACTER = /^[A-Za-z0-9_]$/;

/** Go's getShellName: the variable name after a `$` and how many characters the reference takes. */
function shellName(rest: string): [name: string, width: number] {
  if (rest.startsWith('{')) {
    if (rest.length > 2 && SPECIAL_NAME.test(rest.charAt(1)) && rest.charAt(2) === '}') return [rest.charAt(1), 3];
    const close = rest.indexOf('}', 1);
    if (close === 1) return ['', 2]; // `${}`: bad syntax, eaten
    if (close === -1) return ['', 1]; // `${` without `}`: bad syntax, eaten
    return [rest.slice(1, close), close + 1];
  }
  if (SPECIAL_NAME.test(rest.charAt(0))) return [rest.charAt(0), 1];
  let width = 0;
  while (width < rest.length && NAME_CHARACTER.test(rest.charAt(width))) width += 1;
  return [rest.slice(0, width), width];
}

/** Go's os.Expand with Argo CD's mapping: known variables expand, `$$` is `$`, anything else expands to "". */
export function expandBuildEnvironment(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let copied = 0;
  for (let at = 0; at < text.length; at++) {
    if (text.charAt(at) !== '$' || at + 1 >= text.length) continue;
    out += text.slice(copied, at);
    const [name, width] = shellName(text.slice(at + 1));
    if (name === '' && width === 0) out += '$'; // a `$` not followed by a name stays
    else if (name === '$') out += '$';
    else if (name !== '') out += Object.hasOwn(env, name) ? (env[name] ?? '') : '';
    at += width;
    copied = at + 1;
  }
  return out + text.slice(copied);
}

/** The options with every extVar and tla value expanded, as Argo CD's makeJsonnetVM does first. */
export function withBuildEnvironment(options: JsonnetOptions, env: Readonly<Record<string, string>>): JsonnetOptions {
  const expand = (variable: JsonnetVariable): JsonnetVariable => ({ ...variable, value: expandBuildEnvironment(variable.value, env) });
  return { extVars: options.extVars.map(expand), tlas: options.tlas.map(expand), libs: options.libs };
}

/** Whether any value reads the revision, which changes with every commit even when no file the render reads does. */
export function readsRevision(options: JsonnetOptions): boolean {
  return [...options.extVars, ...options.tlas].some((variable) => /\$\{?ARGOCD_APP_REVISION/.test(variable.value));
}
