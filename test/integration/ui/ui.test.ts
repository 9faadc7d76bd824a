/**
 * GIVEN the controller serving the API and the built UI on a real control plane (the API tests' world: apps web,
 * other and spare; admin and a read-only reader), WHEN a real headless Chromium uses the UI as a person would,
 * THEN it can log in, filter, open an app, read a diff (Secret values hidden), sync with prune and watch it finish,
 * roll back, see changes arrive live, read a Pod's manifest, watch a sync's waves and terminate it, delete an app
 * (typing its name) and see it leave the list — and a read-only user finds the actions it may not take disabled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { initialAdminPassword } from '../../../src/api/auth/accounts.js';
import { controlPlaneSkipReason, eventually } from '../../../src/testing/index.js';
import type { ApiWorld } from '../api/fixture.js';
import { NS, PLANTED, READER_PASSWORD, application, startApiWorld } from '../api/fixture.js';
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

/** The apps shown, read in one step (a tile leaving between a count and a read must not stall the read). */
async function tileNames(page: Page): Promise<string[]> {
  return (await page.evaluate<string[]>('[...document.querySelectorAll("[data-app]")].map((item) => item.getAttribute("data-app") ?? "")')).sort();
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

  test('GIVEN the read-only reader WHEN it opens web THEN Sync, Refresh, Delete and Roll back are disabled, saying why, and the server refuses a sync anyway', async () => {
    const reader = await (await browser.newContext()).newPage();
    await logIn(reader, world.url, 'reader', READER_PASSWORD);
    await reader.goto(`${world.url}/applications/web`);
    const sync = reader.getByRole('button', { name: 'Sync…' });
    await sync.waitFor();
    assert.equal(await sync.isDisabled(), true, 'a read-only user cannot open the sync dialog');
    assert.match(await sync.getAttribute('title') ?? '', /do not allow sync on web.*applications, sync, default\/web/);
    assert.equal(await reader.getByRole('button', { name: 'Delete…' }).isDisabled(), true);
    // role:readonly may get an application, and a refresh is a get (as in Argo CD).
    assert.equal(await reader.getByRole('button', { name: 'Refresh', exact: true }).isDisabled(), false);
    assert.match(await reader.locator('.denied-note').textContent() ?? '', /sync.*rollback.*terminate.*delete/);
    await reader.goto(`${world.url}/applications/web?tab=history`);
    await reader.locator('[data-history]').first().waitFor({ timeout: 30_000 });
    const rollbacks = reader.getByRole('button', { name: 'Roll back…' });
    assert.ok(await rollbacks.count() > 0);
    assert.equal(await rollbacks.first().isDisabled(), true);
    // The buttons are a courtesy: the server still decides.
    const { csrfToken } = await (await reader.request.get(`${world.url}/api/v1/session`)).json() as { csrfToken: string };
    const refused = await reader.request.post(`${world.url}/api/v1/applications/web/sync`, { data: {}, headers: { 'x-csrf-token': csrfToken } });
    assert.equal(refused.status(), 403);
    assert.equal((await world.app('web')).operation, undefined);
    await reader.close();
  });

  test('GIVEN web\'s tree WHEN a Pod is chosen THEN its live manifest shows (read through the resource endpoint), and it has no desired manifest', async () => {
    await admin.goto(`${world.url}/applications/web`);
    const pod = admin.locator('[data-resource^="Pod/web/"] .node-name').first();
    // Pods are read live when the tree is; one made after the tree was read shows after a Refresh, as for a user.
    await until('a Pod in the tree', async () => {
      if (await pod.count() > 0) return true;
      await admin.getByRole('button', { name: 'Refresh', exact: true }).click();
      throw new Error(`the tree reads: ${await admin.locator('.tree').textContent().catch(() => '(no tree)') ?? ''}`);
    }, 60_000);
    await pod.click();
    await admin.getByRole('link', { name: 'Live manifest' }).click();
    const manifest = admin.locator('pre.manifest');
    await manifest.waitFor({ timeout: 30_000 });
    const text = await manifest.textContent() ?? '';
    assert.match(text, /kind: Pod/);
    assert.match(text, /image: nginx:1\.27/);
    assert.match(text, /ownerReferences:[\s\S]*kind: ReplicaSet/);
    await admin.getByRole('link', { name: 'Desired manifest' }).click();
    await admin.getByText(/Kubernetes made this object for its owner/).waitFor();
  });

  test('GIVEN an application whose first wave never becomes healthy WHEN it is synced THEN the dialog shows the wave running with its results so far, and Terminate stops it before the next wave', async () => {
    // A claim on a storage class nobody provides stays Pending (Progressing) forever: wave 0 never ends by itself.
    await world.repo.commit({
      'slow/claim.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    argocd.argoproj.io/sync-wave: "0"\nspec:\n  storageClassName: launchpad-test-none\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Mi}}\n',
      'slow/after.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-claim\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\ndata:\n  ready: "yes"\n',
    }, 'an app that waits');
    await world.client.apply(application('slow', world.repo, { path: 'slow' }));
    await admin.goto(`${world.url}/applications/slow`);
    // The controller may still hold the repository's HEAD from before the commit: a hard refresh reads it again.
    await admin.getByRole('button', { name: 'Hard refresh' }).click();
    await until('slow to be out of sync', async () => /OutOfSync/.test(await admin.locator('.view-head .badges').textContent() ?? ''), 60_000);
    await admin.getByRole('button', { name: 'Sync…' }).click();
    await admin.getByRole('button', { name: 'Synchronize' }).click();
    const progress = admin.locator('.dialog .progress');
    await until('the sync to be running wave 0', async () => {
      const text = await progress.textContent() ?? '';
      if (/Running/.test(text) && await progress.locator('[data-wave="0"]').count() === 1) return true;
      throw new Error(`the progress reads: ${text}`);
    }, 60_000);
    assert.match(await progress.locator('[data-wave="0"]').textContent() ?? '', /PersistentVolumeClaim data/);
    assert.equal(await progress.locator('[data-wave="1"]').count(), 0, 'wave 1 has not run');
    await until('the wave named in the progress bar', async () => await progress.locator('progress.wave-bar').count() === 1, 30_000);
    assert.match(await progress.locator('progress.wave-bar').getAttribute('aria-label') ?? '', /^wave 1 of 2/);
    await progress.getByRole('button', { name: 'Terminate' }).click();
    await until('the operation to end', async () => /Failed/.test(await progress.locator('.badge').first().textContent() ?? ''), 60_000);
    assert.match(await progress.locator('.operation-message').textContent() ?? '', /terminated/);
    assert.equal(await progress.getByRole('button', { name: 'Terminate' }).count(), 0, 'nothing left to terminate');
    assert.equal(await world.client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'slow', name: 'after-claim' }), undefined, 'the next wave never ran');
  });

  test('GIVEN an application WHEN it is deleted from its view, non-cascading, after typing its name THEN the list loses it live and its resources stay', async () => {
    await world.client.apply(application('doomed', world.repo, { path: 'spare', labels: { team: 'doomed' }, automated: true }));
    const its = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'doomed', name: 'spare-config' };
    await until('doomed to be synced', async () => (await world.client.get(its)) !== undefined, 60_000);
    await admin.goto(`${world.url}/applications`);
    await until('doomed in the list', async () => (await tileNames(admin)).includes('doomed'), 30_000);
    await admin.getByRole('link', { name: 'doomed', exact: true }).click();
    await admin.getByRole('button', { name: 'Delete…' }).click();
    const dialog = admin.locator('.dialog');
    const remove = dialog.getByRole('button', { name: 'Delete', exact: true });
    assert.equal(await remove.isDisabled(), true, 'nothing is deleted before the name is typed');
    await dialog.getByLabel(/Non-cascading/).check();
    await dialog.getByLabel(/Type doomed to confirm/).fill('doome');
    assert.equal(await remove.isDisabled(), true, 'a near miss does not count');
    await dialog.getByLabel(/Type doomed to confirm/).fill('doomed');
    await remove.click();
    await admin.getByRole('heading', { name: 'Applications' }).waitFor();
    const doomed = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'doomed' };
    await until('doomed to leave the list without a reload', async () => !(await tileNames(admin)).includes('doomed'), 30_000).catch(async (error: unknown) => {
      // Say which side kept it: the cluster (not deleted), the server's list (its cache), or only the page.
      const inCluster = await world.client.get(doomed);
      const listed = await (await admin.request.get(`${world.url}/api/v1/applications`)).text();
      throw new Error(`${String(error)}; in the cluster: ${inCluster === undefined ? 'gone' : JSON.stringify(inCluster.metadata)}; in the API's list: ${listed.includes('"doomed"') ? 'yes' : 'no'}`);
    });
    assert.equal(await world.client.get(doomed), undefined);
    assert.notEqual(await world.client.get(its), undefined, 'non-cascading: the ConfigMap stays');
  });
});
