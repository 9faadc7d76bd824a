/**
 * The commit message of a release and the trailers it carries. The subject names the app, the cluster and the
 * old → new version; trailers record what the bump was (app, cluster, key, version) and when it was requested, so
 * that a concurrent bump of the same app can tell which request is newer. Pure.
 */

export const TRAILER_RELEASE = 'Launchpad-Release';
export const TRAILER_REQUESTED = 'Launchpad-Requested-At';
export const TRAILER_CI = 'CI-URL';

export interface ReleaseSubject {
  readonly app: string;
  readonly cluster?: string;
  /** Repository-relative path of the values file. */
  readonly file: string;
  /** The key path as written (`app.image.tag`). */
  readonly key: string;
}

export interface MessageInput extends ReleaseSubject {
  readonly previous: string;
  readonly next: string;
  readonly requestedAt: Date;
  readonly ciURL?: string;
}

/** `app/cluster` or `app`: the identity two bumps conflict on (with the file and key). */
export function releaseId(subject: ReleaseSubject): string {
  return `${subject.app}${subject.cluster === undefined ? '' : `/${subject.cluster}`} ${subject.file}:${subject.key}`;
}

export function commitMessage(input: MessageInput): string {
  const where = input.cluster === undefined ? input.app : `${input.app} on ${input.cluster}`;
  const from = input.previous === '' ? '(empty)' : input.previous;
  const lines = [`release: ${where} ${from} → ${input.next}`, '', `${input.file}: ${input.key} ${from} → ${input.next}`];
  if (input.ciURL !== undefined) lines.push(`Built by ${input.ciURL}`);
  lines.push('', `${TRAILER_RELEASE}: ${releaseId(input)}`, `${TRAILER_REQUESTED}: ${input.requestedAt.toISOString()}`);
  if (input.ciURL !== undefined) lines.push(`${TRAILER_CI}: ${input.ciURL}`);
  return `${lines.join('\n')}\n`;
}

/** The request time a commit message records, or undefined for commits not made by a release. */
export function requestedAtOf(message: string): Date | undefined {
  const match = new RegExp(`^${TRAILER_REQUESTED}: (\\S+)$`, 'm').exec(message);
  if (match?.[1] === undefined) return undefined;
  const date = new Date(match[1]);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
