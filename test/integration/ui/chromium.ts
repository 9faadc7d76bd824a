/**
 * Headless Chromium for the UI's browser tests, screenshots and bench: Debian's `chromium` package (installed by
 * scripts/setup.sh) driven by playwright-core. Tests skip with a clear reason when it is not installed.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const CANDIDATES = [process.env.LAUNCHPAD_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  return CANDIDATES.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

/** Why browser tests cannot run here (for `describe(..., { skip })`), or false when they can. */
export function chromiumSkipReason(): string | false {
  return chromiumPath() === undefined ? 'no Chromium: install Debian\'s chromium package (scripts/setup.sh does), or set LAUNCHPAD_CHROMIUM to a Chromium binary' : false;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error(String(chromiumSkipReason()));
  // --no-sandbox: tests run as root in containers, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}
