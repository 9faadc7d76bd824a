/**
 * GIVEN the controller serving the API and the built UI on a real control plane (the API tests' world: apps web,
 * other and spare; admin and a read-only reader), WHEN a real headless Chromium uses the UI as a person would,
 * THEN it can log in, filter, open an app, read a diff (Secret values hidden), sync with prune and watch it finish,
 * roll back, see changes arrive live — and a read-only user is refused a sync, with the reason shown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { initialAdminPassword } from '../../../src/api/auth/accounts.js';
import { controlPlaneSkipReason, eventually } from '../../../src/testing/index.js';
import type { ApiWorld } from '../api/fixture.js';
import { NS, PLANTED, READER_PASSWORD, startApiWorld } from '../api/fixture.js';
import { chromiumSkipReason, launchChromium } from './chromium.js';

const skip = chromiumSkipReason() || controlPlaneSkipReason(2);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => ((await check()) ? true : undefined), { what, timeoutMs, intervalMs: 150 });
}

async function logIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/applications`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('heading', { name: 'Applications' }).waitFor();
}

async function tileNames(page: Page): Promise<string[]> {
  const names = await Promise.all((await page.locator('[data-app]').all()).map(async (item) => (await item.getAttribute('data-app')) ?? ''));
  return names.sort();
}

describe('the web UI in headless Chromium', { skip }, () => {
  let world: ApiWorld;
  let browser: Browser;
  let admin: Page;
  let adminPassword: string;

  before(async () => {
    world = await startApiWorld();
    adminPassword = (await initialAdminPassword(world.client, NS)) ?? '';
    browser = await launchChromium();
    admin = await (await browser.newContext()).newPage();
  });

  after(async () => {
    await browser.close();
    await world.stop();
  });

  test('GIVEN no session WHEN a deep link is opened THEN the login page shows (with the OIDC button), a wrong password is refused, and logging in lands on the link', async () => {
    await admin.goto(`${world.url}/applications?project=team-b`);
    await admin.getByRole('heading', { name: 'Log in to Launchpad' }).waitFor();
    assert.equal(await admin.getByRole('link', { name: 'Log in with TestSSO' }).count(), 1);
    await admin.getByLabel('Username').fill('admin');
    await admin.getByLabel('Password').fill('wrong-password');
    await admin.getByRole('button', { name: 'Log in', exact: true }).click();
    await admin.getByRole('alert').waitFor();
    assert.match(await admin.getByRole('alert').textContent() ?? '', /invalid|wrong|password/i);
    await admin.getByLabel('Password').fill(adminPassword);
    await admin.getByRole('button', { name: 'Log in', exact: true }).click();
    await admin.getByRole('heading', { name: 'Applications' }).waitFor();
    assert.match(admin.url(), /\/applications\?project=team-b$/);
    await until('the filtered list', async () => (await tileNames(admin)).join() === 'other');
  });

  test('GIVEN the applications view WHEN filters are set THEN the tiles, list and counts follow, and the URL keeps them', async () => {
    await admin.goto(`${world.url}/applications`);
    await until('all three apps', async () => (await tileNames(admin)).join() === 'other,spare,web');
    assert.match(await admin.getByTestId('app-count').textContent() ?? '', /3 of 3 applications/);
    await admin.getByLabel('Labels').fill('team=web');
    await until('the labels filter', async () => (await tileNames(admin)).join() === 'spare,web');
    await admin.getByLabel('Project').selectOption('default');
    await admin.getByLabel('Search').fill('we');
    await until('search', async () => (await tileNames(admin)).join() === 'web');
    assert.match(admin.url(), /labels=team%3Dweb/);
    await admin.getByRole('link', { name: 'List' }).click();
    await admin.locator('table.app-table').waitFor();
    await admin.reload();
    await until('the filters to survive a reload', async () => (await tileNames(admin)).join() === 'web' && await admin.locator('table.app-table').count() === 1);
    await admin.getByLabel('Labels').fill('team in (nobody)');
    await admin.getByText('No application matches these filters.').waitFor();
  });

  test('GIVEN a filtered list WHEN an Application changes in the cluster THEN the page shows it without a reload', async () => {
    await admin.goto(`${world.url}/applications?labels=team%3Dweb`);
    await until('the list', async () => (await tileNames(admin)).join() === 'spare,web');
    await world.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'other' }, { metadata: { labels: { team: 'web' } } });
    await until('other to appear live', async () => (await tileNames(admin)).join() === 'other,spare,web', 10_000);
    await world.client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'other' }, { metadata: { labels: { team: 'b' } } });
    await until('other to leave live', async () => (await tileNames(admin)).join() === 'spare,web', 10_000);
  });

  test('GIVEN web WHEN it is opened, synced with prune and its diff read THEN the tree, the diff (Secret hidden) and the per-wave result show', async () => {
    await admin.goto(`${world.url}/applications`);
    await admin.getByRole('link', { name: 'web', exact: true }).click();
    await admin.getByRole('heading', { name: 'web', exact: true }).waitFor();
    await until('the tree', async () => await admin.locator('[data-resource="ConfigMap//web-config"], [data-resource="ConfigMap/web/web-config"]').count() === 1);
    // First sync (everything), from the dialog.
    await admin.getByRole('button', { name: 'Sync…' }).click();
    await admin.getByRole('button', { name: 'Synchronize' }).click();
    await until('the first sync to finish', async () => /Succeeded/.test(await admin.locator('.dialog .progress').textContent() ?? ''), 60_000);
    await admin.getByRole('button', { name: 'Close', exact: true }).last().click();
    // A new commit changes the ConfigMap and drops the Secret: the diff shows it, and only a prune removes the Secret.
    await world.repo.commit({ 'web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: "changed"\n', 'web/secret.yaml': null }, 'change config, drop secret');
    await admin.getByRole('button', { name: 'Hard refresh' }).click();
    await until('web to be out of sync', async () => /OutOfSync/.test(await admin.locator('.view-head .badges').textContent() ?? ''), 60_000);
    await admin.locator('[data-resource="ConfigMap/web/web-config"] .node-name').first().click();
    await admin.getByRole('link', { name: 'Diff' }).click();
    await admin.locator('pre.diff').waitFor({ timeout: 30_000 });
    const diff = await admin.locator('pre.diff').textContent() ?? '';
    assert.match(diff, /-\s+greeting: "?hello"?/);
    assert.match(diff, /\+\s+greeting: "?changed"?/);
    assert.match(admin.url(), /resource=ConfigMap%2Fweb%2Fweb-config&rtab=diff|resource=ConfigMap\/web\/web-config&rtab=diff/);
    await admin.locator('[data-resource="Secret/web/web-secret"] .node-name').first().click();
    await admin.getByRole('link', { name: 'Live manifest' }).click();
    await admin.locator('pre.manifest').waitFor({ timeout: 30_000 });
    assert.ok(!(await admin.content()).includes(PLANTED), 'the Secret value never reaches the page');
    assert.ok(!(await admin.content()).includes(Buffer.from(PLANTED).toString('base64')), 'nor its base64');
    // Sync with prune, watching the progress.
    await admin.getByRole('button', { name: 'Sync…' }).click();
    await admin.getByLabel('Prune (delete resources the application no longer renders)').check();
    await admin.getByRole('button', { name: 'Synchronize' }).click();
    await until('the prune sync to finish', async () => /Succeeded/.test(await admin.locator('.dialog .progress').textContent() ?? ''), 60_000);
    const progress = await admin.locator('.dialog .progress').textContent() ?? '';
    assert.match(progress, /Wave 0/);
    assert.match(progress, /web-secret: Pruned/);
    await until('the Secret to be gone from the cluster', async () => (await world.client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'web', name: 'web-secret' }).catch(() => undefined)) === undefined);
  });

  test('GIVEN web\'s history WHEN the first deployment is rolled back to THEN the Secret comes back and the history grows', async () => {
    await admin.goto(`${world.url}/applications/web?tab=history`);
    await until('two history entries', async () => await admin.locator('[data-history]').count() >= 2, 30_000);
    const entries = await admin.locator('[data-history]').count();
    await admin.locator('[data-history]').last().getByRole('button', { name: 'Roll back…' }).click();
    await admin.locator('[data-history]').last().getByRole('button', { name: /Confirm rollback/ }).click();
    await admin.getByText(/Rollback to #\d+ requested/).waitFor();
    await until('the Secret to be back', async () => (await world.client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'web', name: 'web-secret' }).catch(() => undefined)) !== undefined, 60_000);
    await until('the history to show the rollback', async () => await admin.locator('[data-history]').count() === entries + 1, 30_000);
  });

  test('GIVEN the read-only reader WHEN it tries to sync THEN the dialog shows the refusal and no operation is written', async () => {
    const reader = await (await browser.newContext()).newPage();
    await logIn(reader, world.url, 'reader', READER_PASSWORD);
    await reader.goto(`${world.url}/applications/web`);
    await reader.getByRole('button', { name: 'Sync…' }).click();
    await reader.getByRole('button', { name: 'Synchronize' }).click();
    const alert = reader.locator('.dialog [role="alert"]');
    await alert.waitFor();
    assert.match(await alert.textContent() ?? '', /permission|denied|not allowed|forbidden/i);
    assert.equal((await world.app('web')).operation, undefined);
    await reader.close();
  });
});
