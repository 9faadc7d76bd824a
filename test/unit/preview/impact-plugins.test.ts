/**
 * GIVEN a preview whose two sides declare different Config Management Plugins, WHEN impact analysis decides what to
 * render again at head, THEN nothing is reused from base: a plugin added, removed or edited may render any
 * application (discovery), so no application may be reported unaffected.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Application } from '../../../src/model/application.js';
import type { AppRenderResult } from '../../../src/render/app.js';
import { createImpactAnalysis } from '../../../src/preview/impact.js';
import type { SourceResolver } from '../../../src/source/types.js';

const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop' }, spec: { project: 'default', destination: {} } } as Application;
const result: AppRenderResult = { status: 'ok', message: '', sources: [], resources: [], warnings: [], errors: [], inputs: [], processes: 1, processMs: 1, cacheable: true };
const resolver: SourceResolver = {
  resolveGit: () => Promise.reject(new Error('not needed')),
  resolveChart: () => Promise.reject(new Error('not needed')),
};

async function reusedWith(basePlugins: string | undefined, headPlugins: string | undefined): Promise<boolean> {
  const impact = createImpactAnalysis({ base: { resolver, offline: true, ...(basePlugins === undefined ? {} : { plugins: basePlugins }) }, head: { resolver, offline: true, ...(headPlugins === undefined ? {} : { plugins: headPlugins }) } });
  await impact.base(() => Promise.resolve(result))(app);
  const reused = new Set<string>();
  await impact.head(() => Promise.resolve(result), reused)(app);
  return reused.has('shop');
}

test('an application with unchanged inputs is reused only when both sides declare the same plugins', async () => {
  assert.equal(await reusedWith(undefined, undefined), true);
  assert.equal(await reusedWith('abc', 'abc'), true);
  assert.equal(await reusedWith(undefined, 'abc'), false);
  assert.equal(await reusedWith('abc', 'abd'), false);
});
