/** Re-renders the calling view whenever the live application set changes (optionally: only for some names). */
import { useEffect, useState } from 'preact/hooks';
import { live } from './live.js';

export function useLive(only?: (names: readonly string[]) => boolean): number {
  const [version, setVersion] = useState(live.version);
  useEffect(() => {
    const unsubscribe = live.subscribe((names) => {
      if (only === undefined || names.length === 0 || only(names)) setVersion(live.version);
    });
    // Effects run after the first paint: a change that arrived between the render and this subscription (an app
    // deleted just as the list opens) would otherwise stay unseen until the next event.
    setVersion(live.version);
    return unsubscribe;
  }, []);
  return version;
}
