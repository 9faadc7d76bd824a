#!/usr/bin/env node
// Screenshots of the UI's main views for the README, taken in headless Chromium against the API tests' world (a
// real control plane, git repository and controller with the API add-on): login, applications (tiles and list),
// the application with its resource tree, the diff panel, a Pod's live manifest, the sync dialog's progress, the
// history, the delete dialog, and a sync caught while it runs (its waves, then Terminate).
// Usage: npm run build && node scripts/screenshots.mjs   → docs/screenshots/*.png
import { mkdir } from 'node:fs/promises';

const root = new URL('..', import.meta.url).pathname;
const { startApiWorld, application, NS } = await import(`${root}dist/test/integration/api/fixture.js`);
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
  await page.goto(`${world.url}/applications/web`);
  await page.locator('[data-resource^="Pod/web/"] .node-name').first().click();
  await page.getByRole('link', { name: 'Live manifest' }).click();
  await page.locator('pre.manifest').waitFor({ timeout: 30_000 });
  await shot('resource-pod');
  await page.goto(`${world.url}/applications/web?tab=history`);
  await page.locator('[data-history]').first().waitFor();
  await shot('history');
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.locator('.dialog').getByLabel(/Type web to confirm/).fill('web');
  await shot('delete-dialog');
  // A sync caught mid-way: three ConfigMaps in wave 0, then a claim nobody binds (wave 1 never ends), then wave 2.
  const configMap = (name, wave) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\ndata:\n  name: ${name}\n`;
  await world.repo.commit({
    'waves/a.yaml': configMap('settings', 0), 'waves/b.yaml': configMap('features', 0), 'waves/c.yaml': configMap('routes', 0),
    'waves/claim.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\nspec:\n  storageClassName: unbound\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Mi}}\n',
    'waves/last.yaml': configMap('after-data', 2),
  }, 'an app in three waves');
  await world.client.apply(application('waves', world.repo, { path: 'waves' }));
  await page.goto(`${world.url}/applications/waves`);
  await page.getByRole('button', { name: 'Hard refresh' }).click();
  await page.locator('.view-head .badges').getByText('OutOfSync').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Sync…' }).click();
  await page.getByRole('button', { name: 'Synchronize' }).click();
  await page.locator('.dialog progress.wave-bar').waitFor({ timeout: 60_000 });
  await page.locator('.dialog [data-wave="1"]').waitFor({ timeout: 60_000 });
  await shot('sync-progress');
  await page.locator('.dialog').getByRole('button', { name: 'Terminate' }).click();
  await page.locator('.dialog .progress').getByText('Failed').waitFor({ timeout: 60_000 });
} finally {
  await browser.close();
  await world.stop();
}
