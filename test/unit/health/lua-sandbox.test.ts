/**
 * GIVEN health scripts that try to leave the sandbox or exhaust the process, WHEN they are evaluated, THEN each is
 * refused with an error naming the script — no file read, no command run, no hang, no memory blow-up — and the
 * next script still runs in a clean environment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateLuaHealth } from '../../../src/health/lua/index.js';
import type { LuaBudget, LuaHealthOutcome } from '../../../src/health/lua/index.js';

const object = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'Ready' } };
/** A small instruction budget keeps the endless-loop cases quick and their message repeatable. */
const budget: LuaBudget = { maxInstructions: 200_000, maxMilliseconds: 60_000, maxStringBytes: 64 * 1024 };

function run(source: string, openLibs = true, limits: LuaBudget = budget): LuaHealthOutcome {
  return evaluateLuaHealth({ source, origin: 'escape.lua', openLibs }, object, limits);
}

function refused(outcome: LuaHealthOutcome, pattern: RegExp): void {
  if (outcome.ok) assert.fail(`expected an error, got ${JSON.stringify(outcome)}`);
  assert.match(outcome.error, pattern);
}

test('os.execute, os.exit, os.getenv and os.remove do not exist; os.time and os.date do', () => {
  for (const call of ['os.execute("touch /tmp/launchpad-lua-escape")', 'os.exit(1)', 'os.getenv("HOME")', 'os.remove("/tmp/x")']) {
    refused(run(call), /^Lua error in escape\.lua:1: attempt to call a nil value \(field '(execute|exit|getenv|remove)'\)/);
  }
  assert.deepEqual(run('return {status = "Healthy", message = type(os.time()) .. " " .. type(os.date("!%Y"))}'), { ok: true, status: 'Healthy', message: 'number string' });
});

test('io, debug and package are absent; require returns only the open libraries', () => {
  refused(run('io.open("/etc/passwd")'), /attempt to index a nil value \(global 'io'\)/);
  refused(run('debug.sethook()'), /attempt to index a nil value \(global 'debug'\)/);
  refused(run('package.loadlib("x", "y")'), /attempt to index a nil value \(global 'package'\)/);
  refused(run('local io = require("io")'), /^Lua error in escape\.lua:1: module 'io' not found: health scripts may only require os, table, string, math and coroutine/);
  refused(run('local s = require("string")', false), /module 'string' not found: health scripts may only require os and table/);
  assert.deepEqual(run('local os = require("os") return {status = type(os.time) == "function" and "Healthy" or "Degraded"}', false), { ok: true, status: 'Healthy', message: '' });
});

test('dofile, loadfile and binary chunks are refused; load of Lua text works', () => {
  refused(run('dofile("/etc/passwd")'), /attempt to call a nil value \(global 'dofile'\)/);
  refused(run('loadfile("/etc/passwd")'), /attempt to call a nil value \(global 'loadfile'\)/);
  refused(run('local f = string.dump(function() end)'), /attempt to call a nil value \(field 'dump'\)/);
  const bytecode = run('local f, err = load("\\27Lua\\83\\0") return {status = f == nil and "Healthy" or "Degraded", message = err}');
  assert.equal(bytecode.ok && bytecode.status, 'Healthy');
  assert.match(bytecode.ok ? bytecode.message : '', /attempt to load a binary chunk/);
  assert.deepEqual(run('return load("return {status = \'Suspended\'}")()'), { ok: true, status: 'Suspended', message: '' });
});

test('an endless loop ends with Unknown-worthy error naming the script, even behind pcall or a coroutine', () => {
  refused(run('while true do end'), /^escape\.lua: stopped: the script ran more than 200000 Lua instructions \(an endless loop\?\)$/);
  refused(run('while true do pcall(function() while true do end end) end'), /stopped: the script ran more than 200000 Lua instructions/);
  refused(run('local co = coroutine.create(function() while true do end end) while true do coroutine.resume(co) end'), /stopped: the script ran more than/);
  refused(run('local function f() return f() + 1 end return f()'), /^Lua error in escape\.lua:1: stack overflow|escape\.lua: (stopped|the Lua VM failed)/);
});

test('the wall-clock budget stops a script too', () => {
  refused(run('while true do end', true, { ...budget, maxInstructions: Number.MAX_SAFE_INTEGER, maxMilliseconds: 50 }), /stopped: the script ran longer than 50 ms/);
});

test('strings cannot grow past the cap: string.rep, table.concat, gsub and s .. s', () => {
  refused(run('return {message = string.rep("x", 1e9)}'), /^Lua error in escape\.lua:1: string larger than 65536 bytes$/);
  refused(run('local t = {} for i = 1, 100 do t[i] = string.rep("x", 1000) end return {message = table.concat(t)}'), /string larger than 65536 bytes/);
  refused(run('local s = string.rep("x", 1000) return {message = s:gsub(".", s)}'), /string larger than 65536 bytes/);
  refused(run('local s = string.rep("x", 1000) return {message = s:gsub(".", function() return s end)}'), /string larger than 65536 bytes/);
  refused(run('local s = "x" while true do s = s .. s end'), /^escape\.lua: stopped: the script built a string larger than 65536 bytes$/);
  refused(run('local s = "x" while true do pcall(function() s = s .. s end) end'), /stopped: the script built a string larger than 65536 bytes/);
});

test('a script cannot leave globals or changed libraries behind for the next one', () => {
  assert.equal(run('leaked = "yes"; string.upper = nil; table.insert = nil; return {status = "Healthy"}').ok, true);
  assert.deepEqual(run('return {status = leaked == nil and "Healthy" or "Degraded", message = string.upper("ok") .. type(table.insert)}'), { ok: true, status: 'Healthy', message: 'OKfunction' });
  assert.deepEqual(run('return {status = "Healthy", message = tostring(getmetatable(""))}'), { ok: true, status: 'Healthy', message: 'false' });
});

test('print writes nothing (Argo CD sends it to its own log)', () => {
  assert.deepEqual(run('print("secret") return {status = "Healthy"}'), { ok: true, status: 'Healthy', message: '' });
});
