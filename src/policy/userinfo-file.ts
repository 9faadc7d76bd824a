/**
 * Kyverno CLI's user info file — `kyverno apply --userinfo <file>` and `userinfo: <file>` in a kyverno-test.yaml —
 * the requester offline: `userInfo` (username, groups, uid) plus the `roles` (`namespace:name`) and `clusterRoles`
 * a cluster would resolve from its bindings. Both forms are read: `cli.kyverno.io/v1alpha1` `UserInfo` and the older
 * plain map. Like the Kyverno CLI (strict decoding), an unknown field is an error, not ignored.
 */
import { load as loadYaml } from 'js-yaml';
import { InputError } from '../errors.js';
import { readTextFile } from '../source/read-text.js';
import type { UserInfo } from './api.js';
import { isRecord } from './scalars.js';

const TOP_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'roles', 'clusterRoles', 'userInfo', 'synchronize']);
const USER_FIELDS = new Set(['username', 'uid', 'groups', 'extra']);

function stringList(value: unknown, file: string, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new InputError({ file }, 'must be a list of strings', { fieldPath: field });
  return value;
}

function checkKnown(value: Record<string, unknown>, known: ReadonlySet<string>, file: string, prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new InputError({ file }, 'unknown field', { fieldPath: `${prefix}${key}`, fix: `the fields allowed here are ${[...known].join(', ')}` });
  }
}

/** The user of a parsed user info document; `file` names it in errors. */
export function parseUserInfo(raw: unknown, file: string): UserInfo {
  if (!isRecord(raw)) throw new InputError({ file }, 'is not a user info file (expected a map with userInfo, roles, clusterRoles)');
  if (raw.kind !== undefined && raw.kind !== 'UserInfo') throw new InputError({ file }, `kind ${JSON.stringify(raw.kind)} is not UserInfo`, { fix: 'use apiVersion: cli.kyverno.io/v1alpha1, kind: UserInfo' });
  checkKnown(raw, TOP_FIELDS, file, '');
  const user = raw.userInfo ?? {};
  if (!isRecord(user)) throw new InputError({ file }, 'must be a map with username and groups', { fieldPath: 'userInfo' });
  checkKnown(user, USER_FIELDS, file, 'userInfo.');
  if (user.username !== undefined && typeof user.username !== 'string') throw new InputError({ file }, 'must be a string', { fieldPath: 'userInfo.username' });
  if (user.uid !== undefined && typeof user.uid !== 'string') throw new InputError({ file }, 'must be a string', { fieldPath: 'userInfo.uid' });
  return {
    username: user.username ?? '',
    groups: stringList(user.groups, file, 'userInfo.groups'),
    roles: stringList(raw.roles, file, 'roles'),
    clusterRoles: stringList(raw.clusterRoles, file, 'clusterRoles'),
    ...(user.uid === undefined ? {} : { uid: user.uid }),
  };
}

/** Reads a user info file. */
export async function readUserInfoFile(file: string, fix = 'check the --userinfo path'): Promise<UserInfo> {
  const text = await readTextFile(file, fix);
  let raw: unknown;
  try {
    raw = loadYaml(text);
  } catch (cause) {
    throw new InputError({ file }, `invalid YAML: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return parseUserInfo(raw, file);
}
