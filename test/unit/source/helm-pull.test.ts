import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helmPullArgs } from '../../../src/source/helm-pull.js';
import { parseIndex } from '../../../src/source/helm-index.js';
import { SourceError } from '../../../src/errors.js';

const CASES = [
  {
    name: 'an https index repository',
    request: { repoURL: 'https://charts.example.com/stable/', chart: 'web', version: '1.2.3', untarDir: '/tmp/x' },
    argv: ['pull', 'web', '--repo', 'https://charts.example.com/stable', '--version', '1.2.3', '--untar', '--untardir', '/tmp/x'],
  },
  {
    name: 'credentials in the repository URL',
    request: { repoURL: 'https://me:s3cret@charts.example.com/stable', chart: 'web', version: '1.2.3', untarDir: '/tmp/x' },
    argv: ['pull', 'web', '--repo', 'https://charts.example.com/stable', '--version', '1.2.3', '--username', 'me', '--password', 's3cret', '--untar', '--untardir', '/tmp/x'],
  },
  {
    name: 'an OCI registry with an exact version',
    request: { repoURL: 'oci://registry.example.com/charts', chart: 'web', version: '1.2.3', untarDir: '/tmp/x' },
    argv: ['pull', 'oci://registry.example.com/charts/web', '--version', '1.2.3', '--untar', '--untardir', '/tmp/x'],
  },
  {
    name: 'an OCI registry with a constraint, over plain http',
    request: { repoURL: 'oci://127.0.0.1:5000/charts', chart: 'web', version: '^1.2.0', untarDir: '/tmp/x', plainHttp: true },
    argv: ['pull', 'oci://127.0.0.1:5000/charts/web', '--version', '^1.2.0', '--plain-http', '--untar', '--untardir', '/tmp/x'],
  },
];

for (const { name, request, argv } of CASES) {
  test(`GIVEN ${name} WHEN pulling THEN helm gets ${argv.join(' ')}`, () => {
    assert.deepEqual(helmPullArgs(request), argv);
  });
}

test('GIVEN an index.yaml THEN charts map to their versions as listed', () => {
  const index = parseIndex('apiVersion: v1\nentries:\n  web:\n    - version: 1.0.0\n      urls: [web-1.0.0.tgz]\n    - version: "1.10"\n  db:\n    - version: 2.0.0\n    - name: no version\n', 'test');
  assert.deepEqual([...index.entries()], [
    ['web', [{ version: '1.0.0', urls: ['web-1.0.0.tgz'] }, { version: '1.10', urls: [] }]],
    ['db', [{ version: '2.0.0', urls: [] }]],
  ]);
});

test('GIVEN an index without entries THEN the error says how to fix it', () => {
  assert.throws(() => parseIndex('apiVersion: v1\n', 'https://charts.example.com'), (error: unknown) => error instanceof SourceError && /no "entries" map.*helm repo index/.test(error.message));
});
