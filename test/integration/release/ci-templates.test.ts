/**
 * GIVEN the application-repository workflows in examples/ci, THEN each is valid YAML triggered by a version tag, AND
 * its release step — run as written, with bash, in a workspace laid out as the workflow checks it out — sets the tag
 * in a clone of the example values repository and pushes it; run again it exits 0 (nothing to do is not a failure).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import { git, repoRoot, valuesRemote } from './helpers.js';
import type { ValuesRemote } from './helpers.js';

interface Workflow {
  readonly on: { readonly push?: { readonly tags?: string[] } };
  readonly env: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: { readonly name?: string; readonly run?: string; readonly env?: Record<string, string> }[] }>;
}

for (const file of ['github/app-repo.yaml', 'gitea/app-repo.yaml']) {
  describe(`examples/ci/${file}`, () => {
    let workflow: Workflow;
    let values: ValuesRemote;
    before(async () => {
      workflow = parse(await readFile(join(repoRoot, 'examples/ci', file), 'utf8')) as Workflow;
      values = await valuesRemote();
      await values.clone('values');
      await createGitRepo({ dir: join(values.dir, 'app'), files: { 'Dockerfile': 'FROM scratch\n' } });
      await symlink(repoRoot, join(values.dir, '.launchpad'));
    });
    after(async () => values.remove());

    const releaseStep = (): string => {
      const step = Object.values(workflow.jobs).flatMap((job) => job.steps).find((candidate) => candidate.run?.includes('release set-image') === true);
      assert.ok(step?.run !== undefined, 'a step runs launchpad release set-image');
      return step.run;
    };
    const runStep = (version: string): { code: number; json: { outcome?: string }; stderr: string } => {
      const env = { ...process.env, ...workflow.env, VERSION: version, CI_URL: 'https://ci.example/run/5', GIT_AUTHOR_DATE: '', LAUNCHPAD_FORGE_TOKEN: '' };
      const result = spawnSync('bash', ['-e', '-c', releaseStep()], { cwd: values.dir, env, encoding: 'utf8', timeout: 120_000 });
      const text = spawnSync('cat', ['release.json'], { cwd: values.dir, encoding: 'utf8' }).stdout;
      return { code: result.status ?? -1, json: JSON.parse(text || '{}') as { outcome?: string }, stderr: result.stderr };
    };

    test('GIVEN the workflow THEN it runs on version tags and releases with launchpad', () => {
      assert.deepEqual(workflow.on.push?.tags, ['v*.*.*']);
      assert.match(releaseStep(), /node \.launchpad\/bin\/launchpad\.js release set-image "\$\{args\[@\]\}"/);
    });

    test('GIVEN a built version THEN the release step pushes the tag into the values repository', () => {
      const app = workflow.env.APP ?? '';
      const run = runStep('7.7.7');
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.json.outcome, 'updated');
      assert.match(values.show(`${app}/values.yaml`), /tag: 7\.7\.7 # Updated by CI\/CD/);
      assert.match(git(values.remote, 'log', '-1', '--format=%B', 'main'), /Built by https:\/\/ci\.example\/run\/5/);
    });

    test('GIVEN the same version again THEN the step still succeeds, with nothing pushed', () => {
      const head = git(values.remote, 'rev-parse', 'main');
      const run = runStep('7.7.7');
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.json.outcome, 'unchanged');
      assert.equal(git(values.remote, 'rev-parse', 'main'), head);
    });

    test('GIVEN a version outside the allowed pattern THEN the step fails (exit 2)', () => {
      const run = runStep('7.7.7-dirty');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /does not match --allow-tags/);
    });

    test('THEN examples/ci/README.md lists it', async () => {
      assert.ok((await readFile(join(repoRoot, 'examples/ci/README.md'), 'utf8')).includes(`(${file})`));
    });
  });
}
