/**
 * Runs one health script against one object, as Argo CD's util/lua runs it: a fresh sandbox, the object as the
 * global `obj` (JSON numbers become Lua numbers, `null` becomes nil), the script's last returned value read as
 * `{status, message}`. Never throws: a syntax or runtime error, a blown budget or an unusable result comes back as
 * an error naming the script (its file or argocd-cm key) and, for Lua errors, the line.
 */
import { lua, luaString } from './fengari.js';
import type { LuaState } from './fengari.js';
import { CHUNK_NAME, DEFAULT_LUA_BUDGET, sharedSandbox } from './sandbox.js';
import type { LuaBudget } from './sandbox.js';

/** A health script and where it came from. */
export interface LuaHealthScript {
  /** Lua source. */
  readonly source: string;
  /** Names the script in errors: a file path, or `argocd-cm resource.customizations.health.<group_kind>`. */
  readonly origin: string;
  /** Open `string`, `math` and `coroutine` too (Argo CD: always for its bundled scripts, opt-in in argocd-cm). */
  readonly openLibs: boolean;
}

/** Argo CD's health statuses; anything else a script returns is reported as Unknown. */
export const LUA_HEALTH_STATUSES: readonly string[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

/**
 * What the script said. `status` is empty when the script returned nil or a table Argo CD decodes as empty (Argo CD
 * then shows no health for the object); an unknown status string becomes Unknown, as in Argo CD.
 */
export type LuaHealthOutcome =
  | { readonly ok: true; readonly status: string; readonly message: string }
  | { readonly ok: false; readonly error: string };

const INVALID_STATUS = 'Lua returned an invalid health status';

/** Field names repeat across objects (`metadata`, `status`, `type`…); converting each once saves most of the push. */
const keyCache = new Map<string, Uint8Array>();
const KEY_CACHE_SIZE = 10_000;

function luaKey(key: string): Uint8Array {
  let bytes = keyCache.get(key);
  if (bytes === undefined) {
    bytes = luaString(key);
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
    keyCache.set(key, bytes);
  }
  return bytes;
}

function pushValue(L: LuaState, value: unknown): void {
  // Each level of nesting holds a table and a key on the stack while its children are pushed.
  if (!lua.lua_checkstack(L, 3)) throw new Error('the object is nested too deeply for the Lua stack');
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') lua.lua_pushnumber(L, value);
  else if (typeof value === 'string') lua.lua_pushstring(L, luaString(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, index) => {
      pushValue(L, item);
      lua.lua_rawseti(L, -2, index + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      if (item === null || item === undefined) continue;
      lua.lua_pushstring(L, luaKey(key));
      pushValue(L, item);
      lua.lua_rawset(L, -3);
    }
  } else lua.lua_pushnil(L);
}

function typeName(L: LuaState, index: number): string {
  return new TextDecoder().decode(lua.lua_typename(L, lua.lua_type(L, index)));
}

/** A string field of the result table at the top: a string, absent, or a value Argo CD cannot decode as a string. */
function stringField(L: LuaState, key: string): string | null | undefined {
  const type = lua.lua_getfield(L, -1, key);
  const value = type === lua.LUA_TNIL ? undefined : type === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) ?? '' : null;
  lua.lua_pop(L, 1);
  return value;
}

/**
 * Argo CD encodes the returned table as JSON and decodes `{status, message}` from it: an empty table or a list, or a
 * field of the wrong type, decodes as no health at all; a table that is both a list and a map cannot be encoded.
 */
function readResult(L: LuaState, origin: string): LuaHealthOutcome {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TNIL) return { ok: true, status: '', message: '' };
  if (type !== lua.LUA_TTABLE) return { ok: false, error: `${origin}: expect table output from Lua script, not ${typeName(L, -1)}` };
  const isList = pushIndex(L, 1) !== lua.LUA_TNIL;
  lua.lua_pop(L, 1);
  const status = stringField(L, 'status');
  const message = stringField(L, 'message');
  if (isList) {
    return status === undefined && message === undefined ? { ok: true, status: '', message: '' } : { ok: false, error: `${origin}: the returned table mixes list and map entries` };
  }
  if (status === null || message === null) return { ok: true, status: '', message: '' };
  if (status === undefined && message === undefined) return { ok: true, status: '', message: '' };
  if (!LUA_HEALTH_STATUSES.includes(status ?? '')) return { ok: true, status: 'Unknown', message: INVALID_STATUS };
  return { ok: true, status: status ?? '', message: message ?? '' };
}

function pushIndex(L: LuaState, index: number): number {
  lua.lua_pushnumber(L, index);
  lua.lua_rawget(L, -2);
  return lua.lua_type(L, -1);
}

/** Evaluates `script` for `object`; see the module comment. */
export function evaluateLuaHealth(script: LuaHealthScript, object: unknown, budget: LuaBudget = DEFAULT_LUA_BUDGET): LuaHealthOutcome {
  const sandbox = sharedSandbox(script.openLibs);
  try {
    const run = sandbox.run(script.source, (L) => { pushValue(L, object); }, budget);
    switch (run.kind) {
      case 'returned': return readResult(sandbox.L, script.origin);
      case 'syntax-error': return { ok: false, error: `Lua syntax error in ${withOrigin(run.message, script.origin)}` };
      case 'runtime-error': return { ok: false, error: `Lua error in ${withOrigin(run.message, script.origin)}` };
      case 'budget': return { ok: false, error: `${script.origin}: stopped: ${run.message}` };
    }
  } catch (error) {
    // fengari raises JavaScript errors for its own failures (a stack overflow in deep recursion, for one).
    return { ok: false, error: `${script.origin}: the Lua VM failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    sandbox.finish();
  }
}

/** Errors raised with a position carry "<chunk>:<line>:", named here by origin; others get the origin in front. */
function withOrigin(message: string, origin: string): string {
  return message.startsWith(`${CHUNK_NAME}:`) ? `${origin}${message.slice(CHUNK_NAME.length)}` : `${origin}: ${message}`;
}
