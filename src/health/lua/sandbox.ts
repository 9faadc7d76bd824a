/**
 * The Lua sandbox health scripts run in, opened the way Argo CD opens gopher-lua for them (util/lua): always `base`,
 * `table` and a safe `os` (only `time` and `date`); with useOpenLibs (Argo CD's default for its bundled scripts,
 * opt-in for argocd-cm ones) also `string`, `math` and `coroutine`. Never `io`, `debug`, `package`, the rest of
 * `os`, `dofile`/`loadfile`, `print` output or binary chunks; `require` only returns the libraries already open.
 *
 * Argo CD's scripts are Lua 5.1; fengari is 5.3, so the 5.1 names gopher-lua has and scripts use are added
 * (`unpack`, `loadstring`, `table.getn`, `table.maxn`, `math.pow`, `math.log10`, …).
 *
 * Argo CD gives every run a new Lua state. Opening one costs fengari milliseconds, so each sandbox keeps one state
 * and gives every run a new global environment instead, with its own copies of the library tables (a script that
 * changes `string` or sets globals changes nothing for the next run); the string metatable is locked.
 *
 * Budgets, so no script can hang or exhaust the process (Argo CD stops scripts after 1 s): an instruction budget and
 * a wall-clock budget checked from a count hook, and a cap on string sizes — checked before `string.rep`,
 * `table.concat` and `string.gsub` build a string, and on the running function's registers every few instructions
 * (which catches `s = s .. s`). The script cannot catch a budget error: `pcall`, `xpcall` and `coroutine.resume`
 * re-raise it.
 */
import { lauxlib, lua, lualib, luaString } from './fengari.js';
import type { LuaFunction, LuaState } from './fengari.js';

export interface LuaBudget {
  /** Lua VM instructions one evaluation may run. @default 20,000,000 */
  readonly maxInstructions: number;
  /** Wall-clock milliseconds one evaluation may run (Argo CD's limit). @default 1000 */
  readonly maxMilliseconds: number;
  /** Bytes in any one string the script builds. @default 2 MiB (Kubernetes objects are at most ~1.5 MiB) */
  readonly maxStringBytes: number;
}

export const DEFAULT_LUA_BUDGET: LuaBudget = { maxInstructions: 20_000_000, maxMilliseconds: 1000, maxStringBytes: 2 * 1024 * 1024 };

/** Instructions between two hook calls: small enough that `..` cannot multiply a string far past the cap unseen. */
const HOOK_INTERVAL = 8;
/** Hook calls between two reads of the clock (about every 128 instructions). */
const CLOCK_INTERVAL = 16;

/**
 * Runs once per state, before the hook is set. Returns `new_env(obj)`: a fresh global environment for one run. The
 * guards that are easiest to write in Lua live here; `budget_abort()` returns why the budget stopped the run, if it
 * has, and `max_string()` the string cap in force.
 */
const PRELUDE = String.raw`
local budget_abort, max_string = ...
local error, type, tostring, pairs, setmetatable = error, type, tostring, pairs, setmetatable
local rawpcall, rawxpcall, rawload = pcall, xpcall, load

local function checked(ok, ...)
  local reason = budget_abort()
  if reason then error(reason, 0) end
  return ok, ...
end
local function too_large(level) error("string larger than " .. max_string() .. " bytes", level + 1) end

local safe = {}
safe.pcall = function(...) return checked(rawpcall(...)) end
safe.xpcall = function(...) return checked(rawxpcall(...)) end
for _, name in ipairs({ "assert", "error", "getmetatable", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen",
    "rawset", "select", "setmetatable", "tonumber", "tostring", "type" }) do
  safe[name] = _G[name]
end
safe._VERSION = "Lua 5.1"
-- Argo CD writes print output to its log; a verdict never depends on it.
safe.print = function() end

local libs = {}
libs.table = {}
for k, v in pairs(table) do libs.table[k] = v end
local concat = table.concat
libs.table.concat = function(t, sep, i, j)
  i, j = i or 1, j or #t
  local total, sep_len = 0, #(sep or "")
  for n = i, j do
    local v = t[n]
    total = total + (type(v) == "string" and #v or 24) + sep_len
    if total > max_string() then too_large(2) end
  end
  return concat(t, sep, i, j)
end
libs.table.getn = function(t) return #t end
libs.table.setn = function() end
libs.table.maxn = function(t)
  local max = 0
  for k in pairs(t) do if type(k) == "number" and k > max then max = k end end
  return max
end
safe.unpack = table.unpack
libs.os = { time = os.time, date = os.date }

if string then
  local rep, gsub = string.rep, string.gsub
  string.rep = function(s, n, sep)
    if type(n) == "number" and n > 0 and (#tostring(s) + #(sep or "")) * n > max_string() then too_large(2) end
    return rep(s, n, sep)
  end
  string.gsub = function(s, pattern, repl, n)
    local text = tostring(s)
    if type(repl) == "string" or type(repl) == "number" then
      local r = tostring(repl)
      local _, captures = gsub(r, "%%", "")
      if #text + (#text + 1) * #r + captures * #text > max_string() then too_large(2) end
    elseif type(repl) == "function" or type(repl) == "table" then
      local total, inner, call = #text, repl, type(repl) == "function"
      repl = function(...)
        local v
        if call then v = inner(...) else v = inner[(...)] end
        if type(v) == "string" then
          total = total + #v
          if total > max_string() then too_large(2) end
        end
        return v
      end
    end
    return gsub(s, pattern, repl, n)
  end
  string.dump, string.pack, string.unpack, string.packsize = nil, nil, nil, nil
  string.gfind = string.gmatch
  getmetatable("").__metatable = false
  libs.string = string
end
if math then
  math.pow = function(x, y) return x ^ y end
  math.log10 = function(x) return math.log(x, 10) end
  math.ldexp = function(m, e) return m * 2.0 ^ e end
  math.mod = math.fmod
  math.atan2 = math.atan
  math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
  math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
  math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
  libs.math = math
end
if coroutine then
  libs.coroutine = {}
  for k, v in pairs(coroutine) do libs.coroutine[k] = v end
  local resume = coroutine.resume
  libs.coroutine.resume = function(...) return checked(resume(...)) end
end

local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  return out
end

return function()
  local env = copy(safe)
  for name, lib in pairs(libs) do env[name] = copy(lib) end
  env._G = env
  env.load = function(chunk, name) return rawload(chunk, name, "t", env) end
  env.loadstring = env.load
  env.require = function(name)
    local lib = libs[name] and env[name]
    if lib == nil then
      error("module '" .. tostring(name) .. "' not found: health scripts may only require " ..
        (libs.string and "os, table, string, math and coroutine" or "os and table"), 2)
    end
    return lib
  end
  return env
end
`;

/**
 * The name Lua gives the script in its messages (`health-script:12: …`); callers put the script's real origin in its
 * place, because Lua cuts chunk names to 60 characters, which would cut a file path short.
 */
export const CHUNK_NAME = 'health-script';

/** Compiled scripts kept per sandbox, by source; as in Argo CD, a bound that only guards against churn. */
const COMPILED_CACHE_SIZE = 1024;

function openLibrary(L: LuaState, name: string, open: LuaFunction): void {
  lauxlib.luaL_requiref(L, luaString(name), open, 1);
  lua.lua_pop(L, 1);
}

/** The first register of the running Lua function holding a string over the cap, if any. */
function oversizedRegister(L: LuaState, maxBytes: number): boolean {
  for (let index = L.ci.l_base; index < L.top; index++) {
    const value = L.stack[index];
    if (value !== undefined && value.ttisstring() && value.vslen() > maxBytes) return true;
  }
  return false;
}

/** The outcome of one run, before its result is read: the result stays on the stack until `finish()`. */
export type RunStatus =
  | { readonly kind: 'returned' }
  | { readonly kind: 'syntax-error' | 'runtime-error' | 'budget'; readonly message: string };

export class LuaSandbox {
  readonly L: LuaState;
  private readonly newEnvRef: number;
  private readonly compiled = new Map<string, number>();
  private budget: LuaBudget = DEFAULT_LUA_BUDGET;
  private abortReason: string | undefined;

  constructor(readonly openLibs: boolean) {
    const L = lauxlib.luaL_newstate();
    this.L = L;
    openLibrary(L, '_G', lualib.luaopen_base);
    openLibrary(L, 'table', lualib.luaopen_table);
    openLibrary(L, 'os', lualib.luaopen_os);
    if (openLibs) {
      openLibrary(L, 'string', lualib.luaopen_string);
      openLibrary(L, 'math', lualib.luaopen_math);
      openLibrary(L, 'coroutine', lualib.luaopen_coroutine);
    }
    const source = luaString(PRELUDE);
    if (lauxlib.luaL_loadbufferx(L, source, source.length, luaString('=launchpad-lua-prelude'), luaString('t')) !== lua.LUA_OK) {
      throw new Error(`the Lua sandbox prelude does not compile: ${lua.lua_tojsstring(L, -1) ?? ''}`);
    }
    lua.lua_pushjsfunction(L, (state) => {
      if (this.abortReason === undefined) lua.lua_pushnil(state);
      else lua.lua_pushstring(state, luaString(this.abortReason));
      return 1;
    });
    lua.lua_pushjsfunction(L, (state) => {
      lua.lua_pushnumber(state, this.budget.maxStringBytes);
      return 1;
    });
    if (lua.lua_pcall(L, 2, 1, 0) !== lua.LUA_OK) throw new Error(`the Lua sandbox prelude failed: ${lua.lua_tojsstring(L, -1) ?? ''}`);
    this.newEnvRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }

  /**
   * Runs `source` (named CHUNK_NAME in errors) in a new environment whose `obj` global is pushed by `pushObject`. On
   * `returned`, the script's last value (or nil) is on the top of the stack until `finish()`.
   */
  run(source: string, pushObject: (L: LuaState) => void, budget: LuaBudget): RunStatus {
    const { L } = this;
    lua.lua_settop(L, 0);
    this.budget = budget;
    this.abortReason = undefined;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.newEnvRef);
    if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(`the Lua sandbox could not make an environment: ${lua.lua_tojsstring(L, -1) ?? ''}`);
    pushObject(L);
    lua.lua_setfield(L, 1, 'obj');
    const compileError = this.pushCompiled(source);
    if (compileError !== undefined) return { kind: 'syntax-error', message: compileError };
    lua.lua_pushvalue(L, 1);
    lua.lua_setupvalue(L, -2, 1);
    this.installHook();
    const status = lua.lua_pcall(L, 0, lua.LUA_MULTRET, 0);
    lua.lua_sethook(L, null, 0, 0);
    const abortReason = this.currentAbortReason();
    if (abortReason !== undefined) return { kind: 'budget', message: abortReason };
    if (status !== lua.LUA_OK) return { kind: 'runtime-error', message: errorText(L) };
    if (lua.lua_gettop(L) === 1) lua.lua_pushnil(L);
    return { kind: 'returned' };
  }

  /** Set by the hook while the script runs (a method, so the compiler does not assume it is still unset). */
  private currentAbortReason(): string | undefined {
    return this.abortReason;
  }

  finish(): void {
    lua.lua_settop(this.L, 0);
  }

  close(): void {
    lua.lua_close(this.L);
  }

  /** Pushes the compiled chunk for `source`, or returns the syntax error. */
  private pushCompiled(source: string): string | undefined {
    const { L } = this;
    const key = source;
    const ref = this.compiled.get(key);
    if (ref !== undefined) {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      return undefined;
    }
    const bytes = luaString(source);
    if (lauxlib.luaL_loadbufferx(L, bytes, bytes.length, luaString(`=${CHUNK_NAME}`), luaString('t')) !== lua.LUA_OK) return errorText(L);
    if (this.compiled.size >= COMPILED_CACHE_SIZE) this.forgetCompiled();
    lua.lua_pushvalue(L, -1);
    this.compiled.set(key, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
    return undefined;
  }

  private forgetCompiled(): void {
    for (const ref of this.compiled.values()) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, ref);
    this.compiled.clear();
  }

  private installHook(): void {
    const budget = this.budget;
    const deadline = performance.now() + budget.maxMilliseconds;
    let instructions = 0;
    let calls = 0;
    lua.lua_sethook(this.L, (state) => {
      instructions += HOOK_INTERVAL;
      calls++;
      if (this.abortReason === undefined) {
        if (instructions > budget.maxInstructions) this.abortReason = `the script ran more than ${budget.maxInstructions} Lua instructions (an endless loop?)`;
        else if (calls % CLOCK_INTERVAL === 0 && performance.now() > deadline) this.abortReason = `the script ran longer than ${budget.maxMilliseconds} ms (an endless loop?)`;
        else if (oversizedRegister(state, budget.maxStringBytes)) this.abortReason = `the script built a string larger than ${budget.maxStringBytes} bytes`;
      }
      if (this.abortReason !== undefined) lauxlib.luaL_error(state, luaString('%s'), luaString(this.abortReason));
    }, lua.LUA_MASKCOUNT, HOOK_INTERVAL);
  }
}

function errorText(L: LuaState): string {
  if (lua.lua_type(L, -1) === lua.LUA_TSTRING) return lua.lua_tojsstring(L, -1) ?? '';
  return `(a ${new TextDecoder().decode(lua.lua_typename(L, lua.lua_type(L, -1)))} value was raised as the error)`;
}

const sandboxes = new Map<boolean, LuaSandbox>();

/** The process's sandbox for scripts with or without the open libraries; made on first use. */
export function sharedSandbox(openLibs: boolean): LuaSandbox {
  let sandbox = sandboxes.get(openLibs);
  if (sandbox === undefined) {
    sandbox = new LuaSandbox(openLibs);
    sandboxes.set(openLibs, sandbox);
  }
  return sandbox;
}
