/** Re-renders the calling view whenever the live application set changes (optionally: only for some names). */
import { useEffect, useState } from 'preact/hooks';
import { live } from './live.js';

export function useLive(only?: (names: readonly string[]) => boolean): number {
  const [version, setVersion] = useState(live.version);
  useEffect(() => live.subscribe((names) => {
    if (only === undefined || names.length === 0 || only(names)) setVersion(live.version);
  }), []);
  return version;
}
