/**
 * The Lua VM: fengari (Lua 5.3 in plain JavaScript, synchronous, with debug hooks), loaded once with the one setting
 * that brings it nearer Argo CD's gopher-lua (Lua 5.1): integral floats print as `3`, not `3.0`. fengari reads its
 * settings from FENGARICONF when first loaded, so the variable is set for that moment only and then restored.
 * The typed surface below is the part of fengari's C-like API that Launchpad uses.
 */
import { createRequire } from 'node:module';

/** A Lua state (opaque outside the memory guard, which reads the running function's registers). */
export interface LuaState {
  readonly ci: { readonly l_base: number };
  readonly top: number;
  readonly stack: readonly ({ ttisstring(): boolean; vslen(): number } | undefined)[];
}
export type LuaFunction = (L: LuaState) => number;
export type LuaHook = (L: LuaState, ar: unknown) => void;
type LuaString = Uint8Array;

export interface LuaApi {
  readonly LUA_OK: number;
  readonly LUA_ERRSYNTAX: number;
  readonly LUA_MULTRET: number;
  readonly LUA_MASKCOUNT: number;
  readonly LUA_TNIL: number;
  readonly LUA_TBOOLEAN: number;
  readonly LUA_TNUMBER: number;
  readonly LUA_TSTRING: number;
  readonly LUA_TTABLE: number;
  readonly LUA_REGISTRYINDEX: number;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_close(L: LuaState): void;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_getfield(L: LuaState, index: number, key: LuaString | string): number;
  lua_getglobal(L: LuaState, name: LuaString | string): number;
  lua_gettop(L: LuaState): number;
  lua_pcall(L: LuaState, nargs: number, nresults: number, errfunc: number): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, value: boolean): void;
  lua_pushjsfunction(L: LuaState, fn: LuaFunction): void;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, value: number): void;
  lua_pushstring(L: LuaState, value: LuaString): void;
  lua_rawseti(L: LuaState, index: number, n: number): void;
  lua_rawget(L: LuaState, index: number): number;
  lua_rawgeti(L: LuaState, index: number, n: number): number;
  lua_pushvalue(L: LuaState, index: number): void;
  lua_setupvalue(L: LuaState, funcindex: number, n: number): LuaString | null;
  lua_rawset(L: LuaState, index: number): void;
  lua_setfield(L: LuaState, index: number, key: LuaString | string): void;
  lua_setglobal(L: LuaState, name: LuaString | string): void;
  lua_sethook(L: LuaState, hook: LuaHook | null, mask: number, count: number): void;
  lua_settop(L: LuaState, index: number): void;
  lua_toboolean(L: LuaState, index: number): boolean;
  lua_tojsstring(L: LuaState, index: number): string | null;
  lua_type(L: LuaState, index: number): number;
  lua_typename(L: LuaState, type: number): LuaString;
}

export interface LauxApi {
  luaL_newstate(): LuaState;
  luaL_loadbufferx(L: LuaState, buffer: LuaString, size: number | null, name: LuaString, mode: LuaString | null): number;
  luaL_requiref(L: LuaState, name: LuaString, open: LuaFunction, global: number): void;
  luaL_error(L: LuaState, format: LuaString, ...args: unknown[]): never;
  luaL_ref(L: LuaState, t: number): number;
  luaL_unref(L: LuaState, t: number, ref: number): void;
}

export interface LualibApi {
  luaopen_base: LuaFunction;
  luaopen_table: LuaFunction;
  luaopen_string: LuaFunction;
  luaopen_math: LuaFunction;
  luaopen_os: LuaFunction;
  luaopen_coroutine: LuaFunction;
}

interface Fengari {
  readonly lua: LuaApi;
  readonly lauxlib: LauxApi;
  readonly lualib: LualibApi;
  to_luastring(text: string, cache?: boolean): LuaString;
  to_jsstring(text: LuaString): string;
}

function loadFengari(): Fengari {
  const previous = process.env.FENGARICONF;
  process.env.FENGARICONF = JSON.stringify({ LUA_COMPAT_FLOATSTRING: true, LUAI_MAXSTACK: 100_000 });
  try {
    return createRequire(import.meta.url)('fengari') as Fengari;
  } finally {
    if (previous === undefined) delete process.env.FENGARICONF;
    else process.env.FENGARICONF = previous;
  }
}

let loaded: Fengari | undefined;

/** fengari is loaded on first use (~12 MiB): a process whose configuration has no Lua health check never pays it. */
function fengariNow(): Fengari {
  loaded ??= loadFengari();
  return loaded;
}

/** One of fengari's namespaces, behind a Proxy that loads fengari the first time a member is read. */
function lazyNamespace<T extends object>(pick: (library: Fengari) => T): T {
  return new Proxy({} as T, { get: (_target, key) => Reflect.get(pick(fengariNow()), key) as unknown });
}

export const fengari: Fengari = lazyNamespace((library) => library);
export const lua: LuaApi = lazyNamespace((library) => library.lua);
export const lauxlib: LauxApi = lazyNamespace((library) => library.lauxlib);
export const lualib: LualibApi = lazyNamespace((library) => library.lualib);
export const luaString = (text: string): LuaString => fengariNow().to_luastring(text);
