/**
 * GIVEN launchpad.yaml with a `health:` section, WHEN it is parsed, THEN `luaDir` is resolved against the file's
 * folder, and a wrong shape is an error naming file, line and field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/source/config-parse.js';

const FILE = '/work/platform/launchpad.yaml';

test('health.luaDir is resolved against launchpad.yaml\'s folder', () => {
  assert.deepEqual(parseConfig('health:\n  luaDir: checks/health\n', FILE).health, { luaDir: '/work/platform/checks/health' });
  assert.equal(parseConfig('repositories: []\n', FILE).health, undefined);
});

test('a luaDir that is not a path, or health that is not a map, is an error with file:line:col', () => {
  assert.throws(() => parseConfig('health:\n  luaDir: [a]\n', FILE), /launchpad\.yaml:2:11: health\.luaDir: must be a folder path/);
  assert.throws(() => parseConfig('health: checks\n', FILE), /launchpad\.yaml:1:9: health: must be a map/);
  assert.match(parseConfig('health:\n  luaDirs: x\n', FILE).warnings.join('\n'), /health\.luaDirs: unknown key, ignored — known keys: luaDir/);
});
