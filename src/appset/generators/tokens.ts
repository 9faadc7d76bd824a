/** `tokenRef: {secretName, key}` of the SCM generators: the token is read from a Secret in the set's namespace. */
import { LaunchpadError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';
import type { GeneratorContext } from '../context.js';

export async function readToken(ref: unknown, context: GeneratorContext, where: string): Promise<string> {
  if (ref === undefined || ref === null) return '';
  if (!isPlainObject(ref) || typeof ref.secretName !== 'string' || typeof ref.key !== 'string') throw new LaunchpadError(`${where}.tokenRef needs secretName and key`);
  return context.secretValue(ref.secretName, ref.key);
}

export function optionalString(spec: Readonly<Record<string, unknown>>, key: string): string {
  return typeof spec[key] === 'string' ? spec[key] : '';
}

export function requiredString(spec: Readonly<Record<string, unknown>>, key: string, where: string): string {
  const value = spec[key];
  if (typeof value !== 'string' || value === '') throw new LaunchpadError(`${where}.${key} is required`);
  return value;
}

export function stringList(spec: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = spec[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A Go regexp as written in filters; RE2 and JavaScript agree on the syntax filters use. */
export function compileFilterRegExp(source: unknown, what: string): RegExp | undefined {
  if (source === undefined || source === null) return undefined;
  try {
    return new RegExp(typeof source === 'string' ? source : JSON.stringify(source));
  } catch (error) {
    throw new LaunchpadError(`error compiling ${what} regexp ${JSON.stringify(source)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
