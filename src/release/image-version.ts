/**
 * What may be written as an application's image version: an exact tag (`2.0.5`), a tag pinned to a digest
 * (`2.0.5@sha256:…`, which `repository:tag` charts such as forteapp render as a valid reference), or a bare digest
 * for charts that read one. Refused before anything is fetched: `latest` (a moving tag cannot be rolled back, and
 * pushing it again never triggers a sync), empty or whitespace, anything outside the OCI tag grammar, and a tag
 * the caller's `--allow-tags` pattern does not match. Pure.
 */
import { InputError } from '../errors.js';

/** The OCI distribution spec's tag grammar. */
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** `algorithm:hex` as the OCI image spec writes digests; sha256 and sha512 are the registered ones. */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export interface ImageVersionInput {
  readonly tag?: string;
  readonly digest?: string;
  /** `--allow-tags`: the whole tag must match. */
  readonly allowTags?: string;
}

function refuse(flag: string, message: string, fix: string): InputError {
  return new InputError({ file: flag }, message, { fix });
}

/** Compiles `--allow-tags`; a bad pattern is a usage error that names it. */
export function compileAllowTags(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    throw refuse('--allow-tags', `"${pattern}" is not a valid regular expression (${(error as Error).message})`, 'write a JavaScript regular expression, e.g. ^\\d+\\.\\d+\\.\\d+$');
  }
}

/** Why a tag may not be deployed, or undefined when it may. */
export function tagProblem(tag: string, allowTags?: RegExp): string | undefined {
  if (tag === '') return 'the tag is empty (an empty tag means "latest")';
  if (/\s/.test(tag)) return `the tag ${JSON.stringify(tag)} contains whitespace`;
  if (tag.toLowerCase() === 'latest') return 'the tag "latest" moves: it cannot be rolled back or audited, and pushing it again never triggers a sync';
  if (!OCI_TAG.test(tag)) return `the tag ${JSON.stringify(tag)} is not a valid image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`;
  if (allowTags !== undefined && !allowTags.test(tag)) return `the tag ${JSON.stringify(tag)} does not match --allow-tags ${allowTags.source.slice(4, -2)}`;
  return undefined;
}

/**
 * The value to write for `--tag`/`--digest`, validated. `defaultKey` says whether the key is the forteapp chart's
 * tag field: it composes `repository:tag`, so a bare digest there would render an invalid image reference.
 */
export function imageVersion(input: ImageVersionInput, defaultKey: boolean): string {
  const allow = input.allowTags === undefined ? undefined : compileAllowTags(input.allowTags);
  const digest = input.digest?.trim();
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw refuse('--digest', `${JSON.stringify(input.digest)} is not an image digest`, 'give sha256:<64 lowercase hex digits>, as `docker buildx imagetools inspect` or the registry prints it');
  }
  if (input.tag === undefined) {
    if (digest === undefined) throw refuse('--tag', 'no tag or digest given', 'pass the image tag CI just pushed, e.g. --tag 2.0.5');
    if (defaultKey) {
      throw refuse('--digest', 'a bare digest cannot go into app.image.tag: the chart renders repository:tag', 'add --tag (writes <tag>@<digest>, a pinned reference) or point --key at the chart\'s digest field');
    }
    return digest;
  }
  const problem = tagProblem(input.tag, allow);
  if (problem !== undefined) throw refuse('--tag', problem, 'pass the exact version CI built and pushed, e.g. --tag 2.0.5');
  return digest === undefined ? input.tag : `${input.tag}@${digest}`;
}
