/**
 * Which tag of an image a watched app should run, per its policy — the choices Argo CD Image Updater and Flux image
 * policies offer:
 *   - semver: the highest version in a range (`^2.0.0`, `>=1.4 <2`); a leading `v` is allowed, pre-releases only when
 *     the range names one;
 *   - regex: the tags the pattern matches, ordered by its first capture group (numerically when it is a number,
 *     else alphabetically), or by the whole tag without a group — e.g. `^main-(\d+)-[0-9a-f]{7}$` picks the highest
 *     build number;
 *   - newest: the tag whose image was built last (its config's `created` time), optionally among those matching a
 *     pattern.
 * Every candidate must also pass the same checks as set-image (never `latest`, `allowTags`). Pure: the registry is
 * asked for creation times through `createdAt`.
 */
import semver from 'semver';
import { tagProblem } from '../image-version.js';

export type TagPolicy =
  | { readonly kind: 'semver'; readonly range: string }
  | { readonly kind: 'regex'; readonly pattern: RegExp }
  | { readonly kind: 'newest'; readonly pattern?: RegExp };

export interface Choice {
  readonly tag: string;
  /** How the policy ranks it: the version, the captured value, or the build time. */
  readonly rank: string;
}

function eligible(tags: readonly string[], allowTags: RegExp | undefined): string[] {
  return tags.filter((tag) => tagProblem(tag, allowTags) === undefined);
}

function compareCaptured(left: string, right: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(left) && numeric.test(right)) {
    const a = BigInt(left);
    const b = BigInt(right);
    return a === b ? 0 : a < b ? -1 : 1;
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

function chooseSemver(tags: readonly string[], range: string): Choice | undefined {
  let best: { tag: string; version: string } | undefined;
  for (const tag of tags) {
    const version = semver.valid(tag.replace(/^v(?=\d)/, ''));
    if (version === null || !semver.satisfies(version, range)) continue;
    // Equal versions (1.2.0 and v1.2.0): the first tag in name order, so the choice never depends on list order.
    if (best === undefined || semver.gt(version, best.version) || (semver.eq(version, best.version) && tag < best.tag)) best = { tag, version };
  }
  return best === undefined ? undefined : { tag: best.tag, rank: best.version };
}

function chooseRegex(tags: readonly string[], pattern: RegExp): Choice | undefined {
  let best: Choice | undefined;
  for (const tag of tags) {
    const match = pattern.exec(tag);
    if (match === null) continue;
    const rank = match[1] ?? tag;
    if (best === undefined || compareCaptured(rank, best.rank) > 0 || (compareCaptured(rank, best.rank) === 0 && tag > best.tag)) best = { tag, rank };
  }
  return best;
}

async function chooseNewest(tags: readonly string[], pattern: RegExp | undefined, createdAt: (tag: string) => Promise<Date | undefined>): Promise<Choice | undefined> {
  let best: { tag: string; time: number } | undefined;
  for (const tag of tags.filter((candidate) => pattern === undefined || pattern.test(candidate))) {
    const time = (await createdAt(tag))?.getTime();
    if (time === undefined) continue;
    if (best === undefined || time > best.time || (time === best.time && tag > best.tag)) best = { tag, time };
  }
  return best === undefined ? undefined : { tag: best.tag, rank: new Date(best.time).toISOString() };
}

/** The tag the policy picks among `tags`, or undefined when none qualifies. */
export async function chooseTag(policy: TagPolicy, tags: readonly string[], options: { readonly allowTags?: RegExp; readonly createdAt: (tag: string) => Promise<Date | undefined> }): Promise<Choice | undefined> {
  const candidates = eligible(tags, options.allowTags);
  if (policy.kind === 'semver') return chooseSemver(candidates, policy.range);
  if (policy.kind === 'regex') return chooseRegex(candidates, policy.pattern);
  return chooseNewest(candidates, policy.pattern, options.createdAt);
}

/** True when `candidate` ranks above `current` under the policy (never bump backwards); unknown current: true. */
export async function isNewer(policy: TagPolicy, candidate: Choice, current: string, createdAt: (tag: string) => Promise<Date | undefined>): Promise<boolean> {
  if (candidate.tag === current) return false;
  if (policy.kind === 'semver') {
    const version = semver.valid(current.replace(/^v(?=\d)/, ''));
    return version === null || semver.gt(candidate.rank, version);
  }
  if (policy.kind === 'regex') {
    const match = policy.pattern.exec(current);
    return match === null || compareCaptured(candidate.rank, match[1] ?? current) > 0;
  }
  const time = await createdAt(current);
  return time === undefined || new Date(candidate.rank).getTime() > time.getTime();
}
