/**
 * Which revisions to compare, as the user writes them: `--base <rev> [--head <rev>]` for the config repository
 * (the one holding the root files), and `--revision <repo>=<base>..<head>` for any other repository launchpad.yaml
 * maps to a local folder. Pure parsing; resolution to commits is in revision-plan.ts.
 */
import { InputError } from '../errors.js';

/** A side's revision as written; undefined means the working tree (uncommitted edits included). */
export interface RevisionRange {
  readonly base: string | undefined;
  readonly head: string | undefined;
}

export interface RevisionSpec extends RevisionRange {
  /** A repository URL as launchpad.yaml writes it (matched normalised), or the mapped local folder. */
  readonly repo: string;
}

function usage(message: string, fix: string): InputError {
  return new InputError({ file: '--revision' }, message, { fix });
}

/**
 * `<repo>=<base>..<head>`: both sides; `<repo>=<base>..`: head is the working tree; `<repo>=<rev>`: the same
 * revision at both sides (a pin). The repository is split at the last `=` (revisions cannot contain one).
 */
export function parseRevisionSpec(text: string): RevisionSpec {
  const at = text.lastIndexOf('=');
  const repo = at < 0 ? '' : text.slice(0, at).trim();
  const range = at < 0 ? '' : text.slice(at + 1).trim();
  const fix = 'write it as <repoURL or folder>=<base>..<head>, e.g. git@github.com:org/values.git=origin/main..HEAD';
  if (repo === '' || range === '') throw usage(`"${text}" names no repository or no revision`, fix);
  const dots = range.indexOf('..');
  if (dots < 0) return { repo, base: range, head: range };
  const base = range.slice(0, dots).trim();
  const head = range.slice(dots + 2).trim();
  if (base === '' || head.includes('..')) throw usage(`"${text}": "${range}" is not <base>..<head>`, fix);
  return { repo, base, head: head === '' ? undefined : head };
}

/** The config repository's range from --base/--head; undefined when neither is given. */
export function configRange(base: string | undefined, head: string | undefined): RevisionRange | undefined {
  if (base === undefined && head === undefined) return undefined;
  if (base === undefined) throw new InputError({ file: '--head' }, '--head needs --base', { fix: 'add --base <rev> (the revision to compare with, e.g. origin/main)' });
  return { base, head };
}
