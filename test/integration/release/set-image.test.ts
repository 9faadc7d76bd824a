/**
 * GIVEN a values repository on disk (a bare remote) and clones of it as CI has them, WHEN releases run — alone,
 * twenty at once, or two for the same app racing — THEN every bump lands exactly once, nothing is lost, history
 * stays linear, the files change in one scalar only, and same-app races resolve as specified.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runProcess, setProcessRunner } from '../../../src/process/run.js';
import { ReleaseConflictError, setImage } from '../../../src/release/index.js';
import type { SetImageResult } from '../../../src/release/index.js';
import { AUTHOR, exampleFile, generatedApps, git, history, valuesRemote } from './helpers.js';
import type { ValuesRemote } from './helpers.js';

describe('release set-image on the example values repository', () => {
  let values: ValuesRemote;
  let clone: string;
  before(async () => {
    values = await valuesRemote();
    clone = await values.clone('ci-checkout');
  });
  after(async () => values.remove());

  for (const [app, from] of [['mcp10x', '2.0.4'], ['musicman', '1.7.2'], ['argocd-mcp', '0.6.1'], ['dot-ai-stack', '0.93.0']] as const) {
    test(`GIVEN ${app} WHEN its tag is set from a clone THEN the pushed file equals the example byte for byte except the tag`, async () => {
      const result = await setImage({ repo: clone, app, tag: '3.1.4', author: AUTHOR, ciURL: 'https://ci.example/run/1' });
      assert.equal(result.outcome, 'updated');
      assert.equal(result.previous, from);
      const original = await exampleFile(`${app}/values.yaml`);
      assert.equal(values.show(`${app}/values.yaml`), original.replace(`tag: ${from}`, 'tag: 3.1.4').trimEnd());
      assert.equal(git(values.remote, 'log', '-1', '--format=%s', 'main'), `release: ${app} ${from} → 3.1.4`);
      assert.match(git(values.remote, 'log', '-1', '--format=%b', 'main'), /Built by https:\/\/ci\.example\/run\/1/);
      assert.equal(git(values.remote, 'log', '-1', '--format=%an <%ae>', 'main'), 'Release Bot <bot@launchpad.invalid>');
    });
  }

  test('GIVEN the clone WHEN released THEN its branch, index and working tree are untouched and no private ref is left', () => {
    assert.equal(git(clone, 'status', '--porcelain'), '');
    assert.equal(git(clone, 'log', '-1', '--format=%s'), 'values');
    assert.equal(git(clone, 'for-each-ref', 'refs/launchpad-release'), '');
  });

  test('GIVEN the tag is already set THEN outcome unchanged and no commit', async () => {
    const before = git(values.remote, 'rev-parse', 'main');
    const result = await setImage({ repo: values.remote, app: 'mcp10x', tag: '3.1.4', author: AUTHOR });
    assert.equal(result.outcome, 'unchanged');
    assert.equal(git(values.remote, 'rev-parse', 'main'), before);
  });

  test('GIVEN --dry-run THEN the file diff of one line and nothing pushed', async () => {
    const before = git(values.remote, 'rev-parse', 'main');
    const result = await setImage({ repo: values.remote, app: 'musicman', tag: '1.8.0', dryRun: true, author: AUTHOR });
    assert.equal(result.outcome, 'dry-run');
    assert.deepEqual(result.fileDiff?.split('\n').filter((line) => /^[+-](?![+-])/.test(line)), ['-    tag: 3.1.4 # Updated by CI/CD — keep on its own line', '+    tag: 1.8.0 # Updated by CI/CD — keep on its own line']);
    assert.equal(git(values.remote, 'rev-parse', 'main'), before);
  });

  test('GIVEN a cluster without the key in its file THEN refused, naming the file and the path; nothing pushed', async () => {
    await assert.rejects(setImage({ repo: values.remote, app: 'mcp10x', cluster: 'upc-prod', tag: '3.2.0', author: AUTHOR }), /^InputError: mcp10x\/values-upc-prod\.yaml:2: app\.image\.tag not found: app has no key "image"/);
    await assert.rejects(setImage({ repo: values.remote, app: 'nope', tag: '3.2.0', author: AUTHOR }), /nope\/values\.yaml: not found in .*remote\.git/);
  });
});

describe('twenty concurrent releases of different apps to one remote', () => {
  let values: ValuesRemote;
  before(async () => {
    values = await valuesRemote(await generatedApps(20));
  });
  after(async () => values.remove());

  test('GIVEN 20 pipelines pushing at once THEN all land, no update is lost, and history is linear', async () => {
    const apps = Array.from({ length: 20 }, (_, index) => `app-${String(index + 1).padStart(2, '0')}`);
    const results = await Promise.all(apps.map((app, index) => setImage({ repo: values.remote, app, tag: `5.0.${index}`, author: AUTHOR, backoffMs: 20, maxAttempts: 60 })));
    assert.deepEqual(results.map((result) => result.outcome), apps.map(() => 'updated'));
    for (const [index, app] of apps.entries()) assert.match(values.show(`${app}/values.yaml`), new RegExp(`tag: 5\\.0\\.${index} # Updated`));
    const { subjects, merges } = history(values.remote);
    assert.equal(merges, 0);
    assert.equal(subjects.length, 21);
    assert.deepEqual(subjects.slice(0, 20).map((subject) => /release: (app-\d+) /.exec(subject)?.[1]).sort(), apps);
    assert.ok(results.some((result) => result.attempts > 1), 'the pushes raced (some needed a retry)');
  });
});

/** Runs `interleave` once, just before the first `git push` of the release under test goes out. */
function beforeFirstPush(interleave: () => Promise<unknown>): () => void {
  let fired = false;
  return setProcessRunner(async (command, args, options) => {
    if (!fired && args[2] === 'push') {
      fired = true;
      await interleave();
    }
    const restore = setProcessRunner(runProcessPassthrough);
    try {
      return await runProcess(command, args, options);
    } finally {
      restore();
    }
  });
}

const runProcessPassthrough: Parameters<typeof setProcessRunner>[0] = async (command, args, options) => {
  const { spawnProcess } = await import('../../../src/process/run.js');
  return spawnProcess(command, args, options);
};

describe('two releases of the same app', () => {
  let values: ValuesRemote;
  const early = new Date('2025-06-01T10:00:00Z');
  const late = new Date('2025-06-01T10:05:00Z');
  // Each test's requests are newer than the last test's, which stay in the history.
  const at = (minute: number): Date => new Date(Date.UTC(2025, 5, 1, 10, minute));
  before(async () => {
    values = await valuesRemote();
  });
  after(async () => values.remove());

  async function race(ours: { tag: string; at: Date; noOverwrite?: boolean }, theirs: { tag: string; at: Date }): Promise<{ ours: SetImageResult | Error; theirs: SetImageResult | undefined }> {
    let landed: SetImageResult | undefined;
    const restore = beforeFirstPush(async () => {
      landed = await setImage({ repo: values.remote, app: 'dot-ai-stack', tag: theirs.tag, requestedAt: theirs.at, author: AUTHOR });
    });
    try {
      const result = await setImage({ repo: values.remote, app: 'dot-ai-stack', tag: ours.tag, requestedAt: ours.at, noOverwrite: ours.noOverwrite === true, author: AUTHOR, backoffMs: 10 }).catch((error: unknown) => error as Error);
      return { ours: result, theirs: landed };
    } finally {
      restore();
    }
  }

  test('GIVEN a newer request lands while an older one is pushing THEN the older one steps back (superseded) and the newer tag stays', async () => {
    const { ours, theirs } = await race({ tag: '1.0.0', at: early }, { tag: '1.1.0', at: late });
    assert.equal(theirs?.outcome, 'updated');
    assert.ok(!(ours instanceof Error));
    assert.equal(ours.outcome, 'superseded');
    assert.equal(ours.concurrent?.value, '1.1.0');
    assert.match(values.show('dot-ai-stack/values.yaml'), /tag: 1\.1\.0 #/);
  });

  test('GIVEN an older request lands while a newer one is pushing THEN the newer one re-applies on top and wins', async () => {
    const { ours, theirs } = await race({ tag: '1.3.0', at: at(15) }, { tag: '1.2.0', at: at(10) });
    assert.equal(theirs?.outcome, 'updated');
    assert.ok(!(ours instanceof Error));
    assert.equal(ours.outcome, 'updated');
    assert.equal(ours.attempts, 2);
    assert.equal(ours.concurrent?.value, '1.2.0');
    assert.match(values.show('dot-ai-stack/values.yaml'), /tag: 1\.3\.0 #/);
    assert.equal(history(values.remote).merges, 0);
  });

  test('GIVEN --no-overwrite and a concurrent bump THEN a clear conflict error and the other tag stays', async () => {
    const { ours } = await race({ tag: '1.5.0', at: at(25), noOverwrite: true }, { tag: '1.4.0', at: at(20) });
    assert.ok(ours instanceof ReleaseConflictError);
    assert.match(ours.message, /dot-ai-stack: app\.image\.tag was changed to 1\.4\.0 by [0-9a-f]{7} while this release \(1\.5\.0\) was pushing — run again without --no-overwrite/);
    assert.match(values.show('dot-ai-stack/values.yaml'), /tag: 1\.4\.0 #/);
  });

  test('GIVEN an old pipeline that runs after a newer release landed THEN superseded, nothing pushed', async () => {
    const result = await setImage({ repo: values.remote, app: 'dot-ai-stack', tag: '0.9.0', requestedAt: early, author: AUTHOR });
    assert.equal(result.outcome, 'superseded');
    assert.match(values.show('dot-ai-stack/values.yaml'), /tag: 1\.4\.0 #/);
  });
});
