/**
 * GIVEN database.enabled, WHEN the forteapp chart is rendered with the real helm, THEN a PostgreSQL StatefulSet with a
 * headless Service runs beside the app, both read the credentials from the referenced Secret, and the app is told
 * where to connect.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, container, envOf, find, inventory, template } from './helpers.js';

const DATABASE = { database: { enabled: true, credentialsSecret: 'musicman-db-credentials', storage: { size: '10Gi', storageClassName: 'upcloud-block-storage-maxiops' } } } as const;

test('database off: no StatefulSet and no database env in the app', async () => {
  const objects = await template();
  assert.ok(!inventory(objects).some((entry) => entry.startsWith('StatefulSet/')));
  assert.equal(envOf(container(find(objects, 'Deployment', 'demo'), 'app')).has('DATABASE_URL'), false);
});

test('a single-replica StatefulSet <name>-db with a headless Service and a persistent volume', async () => {
  const objects = await template({ release: 'musicman', values: DATABASE });
  const statefulSet = find(objects, 'StatefulSet', 'musicman-db');
  assert.equal(at(statefulSet, 'spec', 'replicas'), 1);
  assert.equal(at(statefulSet, 'spec', 'serviceName'), 'musicman-db');
  assert.equal(at(statefulSet, 'spec', 'selector', 'matchLabels', 'app.kubernetes.io/component'), 'database');
  assert.deepEqual(at(statefulSet, 'spec', 'volumeClaimTemplates', 0, 'spec'), {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'upcloud-block-storage-maxiops',
    resources: { requests: { storage: '10Gi' } },
  });
  const service = find(objects, 'Service', 'musicman-db');
  assert.equal(at(service, 'spec', 'clusterIP'), 'None');
  assert.deepEqual(at(service, 'spec', 'selector'), at(statefulSet, 'spec', 'selector', 'matchLabels'));
  assert.notDeepEqual(at(find(objects, 'Service', 'musicman'), 'spec', 'selector'), at(service, 'spec', 'selector'), 'app and database pods must not share a Service');
});

test('postgres runs non-root with a read-only root filesystem and reads its credentials from the Secret', async () => {
  const postgres = container(find(await template({ release: 'musicman', values: DATABASE }), 'StatefulSet', 'musicman-db'), 'postgres');
  assert.equal(at(postgres, 'image'), 'docker.io/library/postgres:17.6-alpine');
  assert.equal(at(postgres, 'securityContext', 'readOnlyRootFilesystem'), true);
  const env = envOf(postgres);
  assert.deepEqual(env.get('POSTGRES_PASSWORD'), { secretKeyRef: { name: 'musicman-db-credentials', key: 'POSTGRES_PASSWORD' } });
  assert.equal(env.get('PGDATA'), '/var/lib/postgresql/data/pgdata', 'a subfolder: the volume root holds lost+found');
});

test('the app gets DATABASE_HOST/PORT, the credentials and a DATABASE_URL assembled from them', async () => {
  const env = envOf(container(find(await template({ release: 'musicman', values: DATABASE }), 'Deployment', 'musicman'), 'app'));
  assert.equal(env.get('DATABASE_HOST'), 'musicman-db');
  assert.equal(env.get('DATABASE_PORT'), '5432');
  assert.deepEqual(env.get('DATABASE_USER'), { secretKeyRef: { name: 'musicman-db-credentials', key: 'POSTGRES_USER' } });
  assert.equal(env.get('DATABASE_URL'), 'postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@$(DATABASE_HOST):$(DATABASE_PORT)/$(DATABASE_NAME)');
});
