/** Objects captured from kube-apiserver by scripts/capture-diff-fixtures.mjs (tests run from dist/, paths resolve from the repo). */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/model/resource.js';

const FIXTURES = new URL('../../../../test/fixtures/diff/', import.meta.url);

/** `deployment-live` → the object in test/fixtures/diff/deployment-live.yaml. */
export function fixture(name: string): KubeObject {
  return parse(readFileSync(new URL(`${name}.yaml`, FIXTURES), 'utf8')) as KubeObject;
}

/** The changed lines of a unified diff (`+x` / `-x`), without the `---`/`+++` headers. */
export function changedLines(diff: string): string[] {
  return diff.split('\n').filter((line) => /^[+-]/.test(line) && !/^(\+\+\+|---) /.test(line));
}
