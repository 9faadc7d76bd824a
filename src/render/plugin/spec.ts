/**
 * Argo CD's sidecar plugin format: a `ConfigManagementPlugin` (`plugin.yaml`, apiVersion argoproj.io/v1alpha1) read
 * and checked the way the cmp-server checks it — metadata.name and a generate command are required, discovery is
 * optional (a plugin without it is only used when an Application names it). Every problem names the file and line.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { InputError } from '../../errors.js';
import { checkYamlText } from '../../model/yaml-guard.js';

/** An argv: `command` then `args`, run without a shell (a plugin wanting one says `command: [sh, -c]`). */
export interface PluginCommand {
  readonly command: readonly string[];
  readonly args: readonly string[];
}

export interface PluginDiscovery {
  /** A glob (Go filepath.Glob: no `**`) matched in the application's folder. */
  readonly fileName?: string;
  /** A glob that may use `**`, matched in the application's folder. */
  readonly glob?: string;
  /** A command run in the application's folder; any output means "this plugin renders it". */
  readonly command?: PluginCommand;
}

export interface PluginSpec {
  /** metadata.name */
  readonly name: string;
  /** spec.version, "" when unset. */
  readonly version: string;
  /** What `spec.source.plugin.name` must say: `<name>-<version>`, or `<name>` without a version. */
  readonly fullName: string;
  readonly init?: PluginCommand;
  readonly generate: PluginCommand;
  /** Undefined when the plugin declares no discovery rule. */
  readonly discover?: PluginDiscovery;
  /** Keep the repository's file modes in the plugin's copy (else files are 0644, as Argo CD unpacks them). */
  readonly preserveFileMode: boolean;
  /** The plugin.yaml, absolute. */
  readonly file: string;
  /** Its text: part of the render cache key, so editing a plugin invalidates what it rendered. */
  readonly text: string;
}

const SPEC_KEYS = ['version', 'init', 'generate', 'discover', 'parameters', 'preserveFileMode', 'provideGitCreds', 'lockRepo', 'allowConcurrency'];

interface Reader {
  readonly file: string;
  readonly lines: LineCounter;
  readonly warnings: string[];
}

function fail(reader: Reader, { node, field }: { readonly node: Node | null | undefined; readonly field: string }, message: string, fix: string): never {
  const offset = node?.range?.[0];
  const at = offset === undefined ? undefined : reader.lines.linePos(offset);
  throw new InputError(at === undefined ? { file: reader.file } : { file: reader.file, line: at.line, column: at.col }, message, { fieldPath: field, fix });
}

function child(map: YAMLMap, key: string): Node | undefined {
  const node = map.get(key, true) as Node | undefined;
  return node !== undefined && isScalar(node) && node.value === null ? undefined : node;
}

function readText(reader: Reader, map: YAMLMap, key: string, field: string): string | undefined {
  const node = child(map, key);
  if (node === undefined) return undefined;
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) fail(reader, { node, field }, 'must be a string', 'write it as a quoted string');
  return String(node.value);
}

function readBool(reader: Reader, map: YAMLMap, key: string, field: string): boolean {
  const node = child(map, key);
  if (node === undefined) return false;
  if (!isScalar(node) || typeof node.value !== 'boolean') fail(reader, { node, field }, 'must be true or false', 'write true or false');
  return node.value;
}

function readStrings(reader: Reader, map: YAMLMap, key: string, field: string): string[] {
  const node = child(map, key);
  if (node === undefined) return [];
  if (!isSeq(node)) fail(reader, { node, field }, 'must be a list of strings', `write e.g. "${key}: [sh, -c]"`);
  return node.items.map((item, index) => {
    if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number' && typeof item.value !== 'boolean')) fail(reader, { node: item as Node, field: `${field}[${index}]` }, 'must be a string', 'quote it');
    return String(item.value);
  });
}

function readCommand(reader: Reader, node: Node | undefined, field: string): PluginCommand | undefined {
  if (node === undefined) return undefined;
  if (!isMap(node)) fail(reader, { node, field }, 'must be a map with "command" and "args"', 'write e.g. "{command: [sh, -c], args: [\'kustomize build .\']}"');
  const command = readStrings(reader, node, 'command', `${field}.command`);
  const args = readStrings(reader, node, 'args', `${field}.args`);
  if (command.length === 0) return undefined;
  if (command[0] === '') fail(reader, { node, field: `${field}.command` }, 'starts with an empty program name', 'name the program to run, e.g. "command: [kustomize, build]"');
  return { command, args };
}

function readDiscovery(reader: Reader, node: Node | undefined): PluginDiscovery | undefined {
  if (node === undefined) return undefined;
  if (!isMap(node)) fail(reader, { node, field: 'spec.discover' }, 'must be a map with "fileName" or "find"', 'write e.g. "discover: {fileName: \'./kustomization.yaml\'}"');
  const fileName = readText(reader, node, 'fileName', 'spec.discover.fileName');
  const findNode = child(node, 'find');
  if (findNode !== undefined && !isMap(findNode)) fail(reader, { node: findNode, field: 'spec.discover.find' }, 'must be a map with "glob" or "command"', 'write e.g. "find: {glob: \'**/Chart.yaml\'}"');
  const glob = findNode === undefined ? undefined : readText(reader, findNode, 'glob', 'spec.discover.find.glob');
  const command = findNode === undefined ? undefined : readCommand(reader, findNode, 'spec.discover.find');
  // As in the cmp-server, fileName wins over glob, which wins over the command; empty rules mean no discovery.
  if (fileName !== undefined && fileName !== '') return { fileName };
  if (glob !== undefined && glob !== '') return { glob };
  if (command !== undefined) return { command };
  return undefined;
}

function parseYaml(reader: Reader, text: string): Node | null {
  checkYamlText(text, { file: reader.file });
  const document = parseDocument(text, { lineCounter: reader.lines, logLevel: 'error' });
  const syntax = document.errors[0];
  if (syntax !== undefined) {
    const at = syntax.linePos?.[0];
    throw new InputError(at === undefined ? { file: reader.file } : { file: reader.file, line: at.line, column: at.col }, `not valid YAML: ${syntax.message.split('\n')[0] ?? ''}`, { fix: 'fix the YAML syntax' });
  }
  return document.contents;
}

/** kind and metadata.name, checked; returns the name and the spec map. */
function readHeader(reader: Reader, root: Node | null): { name: string; spec: YAMLMap } {
  if (!isMap(root)) fail(reader, { node: root, field: 'kind' }, 'is not a ConfigManagementPlugin (the file is not a map)', 'start the file with "apiVersion: argoproj.io/v1alpha1" and "kind: ConfigManagementPlugin"');
  const kind = readText(reader, root, 'kind', 'kind');
  if (kind !== 'ConfigManagementPlugin') fail(reader, { node: child(root, 'kind') ?? root, field: 'kind' }, `must be ConfigManagementPlugin, found ${kind ?? 'nothing'}`, 'write "kind: ConfigManagementPlugin" (Argo CD\'s sidecar plugin format)');
  const metadata = child(root, 'metadata');
  const name = metadata !== undefined && isMap(metadata) ? readText(reader, metadata, 'name', 'metadata.name') : undefined;
  if (name === undefined || name === '') fail(reader, { node: metadata ?? root, field: 'metadata.name' }, 'is missing', 'name the plugin; Applications select it with spec.source.plugin.name');
  const spec = child(root, 'spec');
  if (spec === undefined || !isMap(spec)) fail(reader, { node: spec ?? root, field: 'spec' }, 'is missing', 'add "spec:" with at least "generate: {command: [...]}"');
  return { name, spec };
}

function warnUnknownKeys(reader: Reader, spec: YAMLMap): void {
  for (const pair of spec.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (SPEC_KEYS.includes(key)) continue;
    const offset = (pair.key as Node | null)?.range?.[0];
    const at = offset === undefined ? '' : `:${reader.lines.linePos(offset).line}`;
    reader.warnings.push(`${reader.file}${at}: spec.${key}: unknown key, ignored — known keys: ${SPEC_KEYS.join(', ')}`);
  }
}

/** Parses one plugin.yaml; `file` is its absolute path. Unknown spec keys are warned about in `warnings`. */
export function parsePluginSpec(text: string, file: string, warnings: string[] = []): PluginSpec {
  const reader: Reader = { file, lines: new LineCounter(), warnings };
  const { name, spec } = readHeader(reader, parseYaml(reader, text));
  warnUnknownKeys(reader, spec);
  const version = readText(reader, spec, 'version', 'spec.version') ?? '';
  const generate = readCommand(reader, child(spec, 'generate'), 'spec.generate');
  if (generate === undefined) fail(reader, { node: child(spec, 'generate') ?? spec, field: 'spec.generate.command' }, 'is empty', 'give the command that prints the manifests, e.g. "generate: {command: [kustomize, build, .]}"');
  const init = readCommand(reader, child(spec, 'init'), 'spec.init');
  const discover = readDiscovery(reader, child(spec, 'discover'));
  const parameters = child(spec, 'parameters');
  if (parameters !== undefined && !isMap(parameters)) fail(reader, { node: parameters, field: 'spec.parameters' }, 'must be a map with "static" and/or "dynamic"', 'see Argo CD\'s plugin parameter announcements');
  return {
    name,
    version,
    fullName: version === '' ? name : `${name}-${version}`,
    ...(init === undefined ? {} : { init }),
    generate,
    ...(discover === undefined ? {} : { discover }),
    preserveFileMode: readBool(reader, spec, 'preserveFileMode', 'spec.preserveFileMode'),
    file,
    text,
  };
}
