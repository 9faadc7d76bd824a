/** Reads health fixtures from test/fixtures/health (tests run from dist/, so the path is resolved from the repo). */
import { readFileSync, readdirSync } from 'node:fs';
import { parseKubeObjects } from '../../../src/model/rendered-objects.js';
import type { KubeObject } from '../../../src/model/resource.js';

const FIXTURES = new URL('../../../../test/fixtures/health/', import.meta.url);

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((name) => name.endsWith('.yaml')).map((name) => name.slice(0, -'.yaml'.length)).sort();
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, FIXTURES), 'utf8');
}

/** The one object of `<name>.yaml`. */
export function fixture(name: string): KubeObject {
  const [object, ...rest] = parseKubeObjects(fixtureText(name), { source: `test/fixtures/health/${name}.yaml` });
  if (object === undefined || rest.length > 0) throw new Error(`${name}.yaml must hold exactly one object`);
  return object;
}

/** A copy of an object with some fields replaced (shallow per level given). */
export function withFields(object: KubeObject, fields: Readonly<Record<string, unknown>>): KubeObject {
  return { ...object, ...fields };
}
