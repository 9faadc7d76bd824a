/**
 * Ways to say where a finding is. An object read from a file is placed at `file:line:col`; an object that exists
 * only because something rendered it (a child Application of an app-of-apps) is described in words instead.
 */
import type { Describe } from './findings.js';
import type { YamlDocument } from './yaml-documents.js';
import { isPlainObject } from './values.js';

export type { Describe } from './findings.js';

/** Places findings at the line and column of the field in the document (or of its nearest existing ancestor). */
export function describeDocument(document: Pick<YamlDocument, 'positionOf'>): Describe {
  return (path) => document.positionOf(path);
}

/** Places every finding at one description, e.g. a file without positions or a generated object. */
export function describeAs(description: string): Describe {
  return () => ({ file: description });
}

export interface RenderedBy {
  /** The chain of Applications that rendered this object, root first: `['upc-dev-root', 'enterprise-apps']`. */
  readonly renderedBy: readonly string[];
  /** Where in the parent's source the object was found, when known, e.g. `apps/overlays/upc-dev`. */
  readonly path?: string;
}

function nameOf(value: unknown): string | undefined {
  const metadata = isPlainObject(value) ? value.metadata : undefined;
  const name = isPlainObject(metadata) ? metadata.name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function kindOf(value: unknown): string {
  const kind = isPlainObject(value) ? value.kind : undefined;
  return typeof kind === 'string' && kind !== '' ? kind : 'object';
}

/**
 * Describes an object produced by rendering: `Application "musicman" (rendered by root "upc-dev-root")`, or with a
 * longer chain `Application "musicman" (rendered by "enterprise-apps" under root "upc-dev-root")`.
 */
export function describeRendered(value: unknown, by: RenderedBy): Describe {
  const name = nameOf(value);
  const subject = name === undefined ? `${kindOf(value)} without a name` : `${kindOf(value)} ${JSON.stringify(name)}`;
  const [root, ...below] = by.renderedBy;
  const parent = below.at(-1);
  let origin = root === undefined ? 'rendered' : `rendered by root ${JSON.stringify(root)}`;
  if (root !== undefined && parent !== undefined) origin = `rendered by ${JSON.stringify(parent)} under root ${JSON.stringify(root)}`;
  const where = by.path === undefined ? '' : ` from ${by.path}`;
  const description = `${subject} (${origin}${where})`;
  return () => ({ file: description });
}
