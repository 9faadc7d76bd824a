/**
 * GIVEN health scripts written for Argo CD (Lua 5.1, the `obj` global, an `hs` table), WHEN Launchpad evaluates
 * them, THEN they see the object as Argo CD's gopher-lua shows it and their verdict is read as Argo CD reads it;
 * errors name the script and the line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateLuaHealth } from '../../../src/health/lua/index.js';
import type { LuaHealthOutcome } from '../../../src/health/lua/index.js';

const widget = {
  apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', labels: { tier: 'web' } },
  spec: { replicas: 3, paused: false, note: null },
  status: { readyReplicas: 2, ratio: 1.5, conditions: [{ type: 'Ready', status: 'False', message: 'waiting for pods' }] },
};

function run(source: string, openLibs = true): LuaHealthOutcome {
  return evaluateLuaHealth({ source, origin: 'widgets/health.lua', openLibs }, widget);
}

const typical = `
local hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "False" then
      hs.status = "Progressing"
      hs.message = condition.message .. " (" .. obj.status.readyReplicas .. "/" .. obj.spec.replicas .. ")"
      return hs
    end
  end
end
hs.status = "Healthy"
return hs`;

test('a typical script sees obj and its verdict is returned; whole numbers print as in Lua 5.1', () => {
  assert.deepEqual(run(typical), { ok: true, status: 'Progressing', message: 'waiting for pods (2/3)' });
  assert.deepEqual(run('return {status = "Healthy", message = tostring(obj.status.ratio) .. " " .. tostring(obj.spec.replicas / 1) .. " " .. tostring(obj.spec.paused) .. " " .. tostring(obj.spec.note)}'),
    { ok: true, status: 'Healthy', message: '1.5 3 false nil' });
});

test('Lua 5.1 names Argo CD scripts use are there: unpack, table.getn, loadstring, math.pow, string.gfind', () => {
  const source = 'local a, b = unpack({"x", "y"}) return {status = "Healthy", message = a .. b .. table.getn({1, 2, 3}) .. math.pow(2, 3) .. loadstring("return 1")() .. type(string.gfind) .. _VERSION}';
  assert.deepEqual(run(source), { ok: true, status: 'Healthy', message: 'xy381functionLua 5.1' });
});

test('without useOpenLibs only base, table and os are open, as in Argo CD', () => {
  assert.deepEqual(run('return {status = "Healthy", message = type(string) .. type(math) .. type(table) .. type(os)}', false), { ok: true, status: 'Healthy', message: 'nilniltabletable' });
});

test('the verdict is read as Argo CD reads it: nil or {} is no health, an unknown status is Unknown', () => {
  assert.deepEqual(run('return nil'), { ok: true, status: '', message: '' });
  assert.deepEqual(run('local x = 1'), { ok: true, status: '', message: '' });
  assert.deepEqual(run('return {}'), { ok: true, status: '', message: '' });
  assert.deepEqual(run('return {status = "Fine"}'), { ok: true, status: 'Unknown', message: 'Lua returned an invalid health status' });
  assert.deepEqual(run('return {status = "Healthy", message = 5}'), { ok: true, status: '', message: '' });
  assert.deepEqual(run('return {status = "Degraded", message = "a"}, "ignored"'), { ok: false, error: 'widgets/health.lua: expect table output from Lua script, not string' });
  assert.deepEqual(run('return {status = "Degraded", message = "a"}'), { ok: true, status: 'Degraded', message: 'a' });
});

test('syntax and runtime errors name the script and the line', () => {
  assert.deepEqual(run('local hs = {}\nif obj.status then\nhs.status = "Healthy"\nreturn hs'), { ok: false, error: "Lua syntax error in widgets/health.lua:4: 'end' expected (to close 'if' at line 2) near <eof>" });
  assert.deepEqual(run('local hs = {}\nhs.status = obj.spec.template.metadata.name\nreturn hs'), { ok: false, error: "Lua error in widgets/health.lua:2: attempt to index a nil value (field 'template')" });
  assert.deepEqual(run('error({})'), { ok: false, error: 'Lua error in widgets/health.lua: (a table value was raised as the error)' });
  assert.deepEqual(run('error("plain", 0)'), { ok: false, error: 'Lua error in widgets/health.lua: plain' });
});

test('deeply nested objects reach the script', () => {
  let nested: Record<string, unknown> = { leaf: 'found' };
  for (let level = 0; level < 80; level++) nested = { child: nested };
  const source = 'local n = obj.spec for i = 1, 80 do n = n.child end return {status = "Healthy", message = n.leaf}';
  assert.deepEqual(evaluateLuaHealth({ source, origin: 'deep.lua', openLibs: true }, { ...widget, spec: nested }), { ok: true, status: 'Healthy', message: 'found' });
});
