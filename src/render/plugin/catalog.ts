/**
 * The plugins a run may use: only those declared (launchpad.yaml `plugins:`, `launchpad controller --plugin`). A
 * declaration is a plugin.yaml file, or a folder holding a plugin.yaml, or a folder of plugin folders (each with its
 * plugin.yaml). Plugins are kept in the order Argo CD tries them when discovering: by socket name, `<name>.sock`.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, formatPosition } from '../../errors.js';
import type { SourcePosition } from '../../errors.js';
import { readTextFile } from '../../source/read-text.js';
import { parsePluginSpec } from './spec.js';
import type { PluginSpec } from './spec.js';

/** Argo CD's default exec timeout (ARGOCD_EXEC_TIMEOUT), which bounds a plugin's init and generate. */
export const DEFAULT_PLUGIN_TIMEOUT_MS = 90_000;

export interface PluginDeclaration {
  /** A plugin.yaml or a folder, absolute. */
  readonly path: string;
  /** Longest each command of these plugins may run. @default 90 s */
  readonly timeoutMs?: number;
  /** Where it was declared, for messages (a launchpad.yaml line, or `--plugin`). */
  readonly position?: SourcePosition;
}

export interface DeclaredPlugin {
  readonly spec: PluginSpec;
  readonly timeoutMs: number;
}

export interface PluginCatalog {
  /** In discovery order. */
  readonly plugins: readonly DeclaredPlugin[];
  /** Hash of every plugin's text and timeout: goes into the render cache key. */
  readonly fingerprint: string;
  /** Where the plugins were declared, for "not declared" messages. */
  readonly declaredIn: readonly string[];
  readonly warnings: readonly string[];
}

export const PLUGIN_FILE_NAME = 'plugin.yaml';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}

/** The plugin.yaml files a declaration stands for. */
async function pluginFiles(declaration: PluginDeclaration): Promise<string[]> {
  const where = declaration.position === undefined ? declaration.path : formatPosition(declaration.position);
  const info = await stat(declaration.path).catch(() => undefined);
  if (info === undefined) {
    throw new InputError(declaration.position ?? { file: declaration.path }, `plugin ${declaration.path} does not exist`, { fix: 'give the path of a plugin.yaml or of a folder holding one (relative to launchpad.yaml)' });
  }
  if (info.isFile()) return [declaration.path];
  const own = join(declaration.path, PLUGIN_FILE_NAME);
  if (await isFile(own)) return [own];
  const entries = await readdir(declaration.path, { withFileTypes: true });
  const nested = entries.filter((entry) => entry.isDirectory()).map((entry) => join(declaration.path, entry.name, PLUGIN_FILE_NAME));
  const found: string[] = [];
  for (const file of nested.sort()) if (await isFile(file)) found.push(file);
  if (found.length === 0) {
    throw new InputError(declaration.position ?? { file: declaration.path }, `folder ${declaration.path} holds no ${PLUGIN_FILE_NAME} (nor do its sub-folders)`, { fix: `put the plugin in ${where}/${PLUGIN_FILE_NAME}, or name the file itself` });
  }
  return found;
}

/** Reads and checks every declared plugin; two plugins answering to the same name are refused. */
export async function loadPluginCatalog(declarations: readonly PluginDeclaration[]): Promise<PluginCatalog> {
  const plugins: DeclaredPlugin[] = [];
  const warnings: string[] = [];
  for (const declaration of declarations) {
    for (const file of await pluginFiles({ ...declaration, path: resolve(declaration.path) })) {
      const spec = parsePluginSpec(await readTextFile(file, 'check the plugin path'), file, warnings);
      const twin = plugins.find((plugin) => plugin.spec.fullName === spec.fullName);
      if (twin !== undefined) {
        throw new InputError({ file }, `declares plugin "${spec.fullName}" again (first in ${twin.spec.file})`, { fix: 'give each plugin its own metadata.name or spec.version' });
      }
      plugins.push({ spec, timeoutMs: declaration.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS });
    }
  }
  // Argo CD's repo-server lists the sockets folder (sorted by file name) and asks each plugin in turn.
  plugins.sort((a, b) => compareBytes(`${a.spec.fullName}.sock`, `${b.spec.fullName}.sock`));
  const fingerprint = createHash('sha256').update(JSON.stringify(plugins.map((plugin) => [plugin.spec.text, plugin.timeoutMs]))).digest('hex');
  const declaredIn = declarations.map((declaration) => (declaration.position === undefined ? declaration.path : formatPosition(declaration.position)));
  return { plugins, fingerprint, declaredIn, warnings };
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function emptyCatalog(): PluginCatalog {
  return { plugins: [], fingerprint: '', declaredIn: [], warnings: [] };
}
