/**
 * Choosing a chart version the way Helm does: an exact version is taken as is; a constraint (`^1.2.0`, `~1.2`,
 * `1.2.x`, `>=1.0 <2`, `>=1.0, <2`, `*`, empty) picks the highest listed version that satisfies it, ignoring
 * prereleases unless the constraint itself names one. Pure: no I/O.
 */
import semver from 'semver';

/** True when `requested` names one version rather than a range. */
export function isExactVersion(requested: string): boolean {
  return semver.valid(requested.trim(), { loose: true }) !== null;
}

/** Helm's constraint syntax (Masterminds/semver) in the form the `semver` package reads: commas are ANDs. */
export function toSemverRange(requested: string): string | undefined {
  const trimmed = requested.trim();
  if (trimmed === '' || trimmed === 'latest') return '*';
  const range = trimmed.replace(/\s*,\s*/g, ' ');
  return semver.validRange(range, { loose: true }) ?? undefined;
}

/** The version to use from `available`, or undefined when none fits. Throws nothing; bad ranges fit nothing. */
export function pickVersion(available: readonly string[], requested: string): string | undefined {
  const trimmed = requested.trim();
  if (available.includes(trimmed)) return trimmed;
  if (isExactVersion(trimmed)) {
    const wanted = semver.clean(trimmed, { loose: true });
    return available.find((version) => semver.clean(version, { loose: true }) === wanted);
  }
  const range = toSemverRange(trimmed);
  if (range === undefined) return undefined;
  const includePrerelease = /\d-[0-9a-z]/i.test(trimmed);
  let best: { readonly version: string; readonly parsed: semver.SemVer } | undefined;
  for (const version of available) {
    const parsed = semver.parse(version, { loose: true });
    if (parsed === null || !semver.satisfies(parsed, range, { loose: true, includePrerelease })) continue;
    if (best === undefined || semver.gt(parsed, best.parsed)) best = { version, parsed };
  }
  return best?.version;
}

/** Versions newest first, for "not found" messages (non-semver ones last, as listed). */
export function sortNewestFirst(versions: readonly string[]): string[] {
  const valid = versions.filter((version) => semver.valid(version, { loose: true }) !== null);
  const other = versions.filter((version) => semver.valid(version, { loose: true }) === null);
  return [...valid.sort((a, b) => semver.rcompare(a, b, true)), ...other];
}
