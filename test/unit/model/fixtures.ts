/** Reads model fixtures from test/fixtures/model (tests run from dist/, so the path is resolved from the repo). */
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../../../test/fixtures/model/', import.meta.url);

export function fixturePath(name: string): string {
  return `test/fixtures/model/${name}`;
}

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}
