#!/usr/bin/env node
// Screenshots of the UI's main views for the README, taken in headless Chromium against the API tests' world (a
// real control plane, git repository and controller with the API add-on): login, applications (tiles and list),
// the application with its resource tree, the diff panel, the sync dialog's progress, and the history.
// Usage: npm run build && node scripts/screenshots.mjs   → docs/screenshots/*.png
import { mkdir } from 'node:fs/promises';

const root = new URL('..', import.meta.url).pathname;
const { startApiWorld, NS } = await import(`${root}dist/test/integration/api/fixture.js`);
const { launchChromium, chromiumSkipReason } = await import(`${root}dist/test/integration/ui/chromium.js`);
const { initialAdminPassword } = await import(`${root}dist/src/api/auth/accounts.js`);

const skip = chromiumSkipReason();
if (skip) {
  console.error(`screenshots: ${skip}`);
  process.exit(1);
}
const out = `${root}docs/screenshots`;
await mkdir(out, { recursive: true });
const world = await startApiWorld();
const browser = await launchChromium();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const shot = async (name) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/${name}.png` });
    console.log(`docs/screenshots/${name}.png`);
  };
  await page.goto(`${world.url}/applications`);
  await page.getByLabel('Username').fill('admin');
  await shot('login');
  await page.getByLabel('Password').fill((await initialAdminPassword(world.client, NS)) ?? '');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.locator('[data-app="web"]').waitFor();
  await shot('applications-tiles');
  await page.getByRole('link', { name: 'List' }).click();
  await page.locator('table.app-table').waitFor();
  await shot('applications-list');
  await page.goto(`${world.url}/applications/web`);
  await page.getByRole('button', { name: 'Sync…' }).click();
  await page.getByLabel('Prune (delete resources the application no longer renders)').check();
  await page.getByRole('button', { name: 'Synchronize' }).click();
  await page.locator('.dialog .progress').getByText('Succeeded').waitFor({ timeout: 60_000 });
  await shot('sync-dialog');
  await page.getByRole('button', { name: 'Close', exact: true }).last().click();
  await world.repo.commit({ 'web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: "hello, world"\n' }, 'new greeting');
  await page.getByRole('button', { name: 'Hard refresh' }).click();
  await page.locator('.view-head .badges').getByText('OutOfSync').waitFor({ timeout: 60_000 });
  await page.locator('.node.owned').first().waitFor({ timeout: 30_000 });
  await shot('application-tree');
  await page.goto(`${world.url}/applications/web?resource=ConfigMap%2Fweb%2Fweb-config&rtab=diff`);
  await page.locator('pre.diff').waitFor({ timeout: 30_000 });
  await shot('resource-diff');
  await page.goto(`${world.url}/applications/web?tab=history`);
  await page.locator('[data-history]').first().waitFor();
  await shot('history');
} finally {
  await browser.close();
  await world.stop();
}
