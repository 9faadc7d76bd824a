/**
 * The key a release edits, written as dotted text: `app.image.tag`, `images[0].tag`, and `\.` for a dot inside a
 * key (`annotations.example\.com/x`). The default is where the forteapp chart reads the image version: its
 * `forteapp.image` helper renders `app.image.repository:app.image.tag`. Pure.
 */
import { InputError } from '../errors.js';

export type KeyPath = readonly (string | number)[];

export const DEFAULT_KEY = 'app.image.tag';

function bad(text: string, why: string): InputError {
  return new InputError({ file: '--key' }, `"${text}" ${why}`, { fix: 'write the path with dots, e.g. app.image.tag or images[0].tag' });
}

/** Splits one dotted part into its key and `[n]` indexes. */
function splitPart(part: string, text: string): (string | number)[] {
  const match = /^((?:[^[\]]|\\\[)*)((?:\[\d+\])*)$/.exec(part);
  if (match === null) throw bad(text, `has a malformed part "${part}"`);
  const key = (match[1] ?? '').replace(/\\\[/g, '[');
  const indexes = [...(match[2] ?? '').matchAll(/\[(\d+)\]/g)].map((index) => Number(index[1]));
  if (key === '' && indexes.length === 0) throw bad(text, 'has an empty part');
  return key === '' ? indexes : [key, ...indexes];
}

export function parseKeyPath(text: string): KeyPath {
  if (text.trim() === '') throw bad(text, 'is empty');
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && text[index + 1] === '.') {
      current += '.';
      index++;
    } else if (char === '.') {
      parts.push(current);
      current = '';
    } else {
      current += char ?? '';
    }
  }
  parts.push(current);
  return parts.flatMap((part) => splitPart(part, text));
}

/** The path as users write it, for messages. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment.replace(/\./g, '\\.')}`)).join('');
}
