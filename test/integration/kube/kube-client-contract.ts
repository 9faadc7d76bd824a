/**
 * The KubeClient contract: what the sync engine may rely on, whatever implements it. Every implementation (the real
 * client against an API server, any in-memory stand-in) runs this same suite through `runKubeClientContract`.
 * Tests assert what a user would notice — objects, fields, owners, messages — never how long anything took.
 * Each test works in its own namespace, so tests do not see each other's objects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { KubeError, UnknownKindError } from '../../../src/errors.js';
import type { KubeClient, WatchEvent } from '../../../src/kube/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { eventually } from '../../../src/testing/index.js';
import { WEBHOOK_DENIAL, WEBHOOK_NAMESPACE_LABEL, startTestWebhook } from './admission-webhook.js';

export interface ContractSubject {
  readonly client: KubeClient;
  /** What a real API server does that a stand-in may not; tests needing a missing one are skipped. */
  readonly capabilities: {
    /** CustomResourceDefinitions become served kinds. */
    readonly customResourceDefinitions: boolean;
    /** Admission webhooks on 127.0.0.1 are called, dry-run requests included. */
    readonly admissionWebhooks: boolean;
  };
  /** Ends what the factory started (a control plane); called once after the suite. */
  readonly dispose?: () => Promise<void>;
}

export interface ContractOptions {
  /** Skip the whole suite with this reason (no control plane binaries). */
  readonly skip?: string | false;
}

type ConfigMap = KubeObject & { readonly data?: Record<string, string> };
type Deployment = KubeObject & { readonly spec?: { readonly replicas?: number; readonly strategy?: { readonly type?: string }; readonly template?: { readonly spec?: { readonly containers?: readonly { readonly imagePullPolicy?: string }[] } } } };
interface ManagedField {
  readonly manager?: string;
  readonly operation?: string;
  readonly fieldsV1?: unknown;
}
type WithStatus = KubeObject & { readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] } };

/** Manifests are written as YAML, as users write them. */
const manifest = (text: string): KubeObject => parse(text) as KubeObject;

const configMap = (namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data,
});

const ref = (namespace: string, name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });

const managedFieldsOf = (object: KubeObject): ManagedField[] => (object.metadata.managedFields ?? []) as ManagedField[];

const deployment = (namespace: string, name: string): Deployment =>
  manifest(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`);

const WIDGET_CRD = manifest(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.contract.launchpad.dev}
spec:
  group: contract.launchpad.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`);

export function runKubeClientContract(name: string, factory: () => Promise<ContractSubject>, options: ContractOptions = {}): void {
  describe(`KubeClient contract: ${name}`, { skip: options.skip ?? false }, () => {
    let subject: ContractSubject;
    let client: KubeClient;

    /** A fresh namespace for one test; `labels` go on the namespace. */
    const namespace = async (nameOfNamespace: string, labels: Record<string, string> = {}): Promise<string> => {
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nameOfNamespace, labels } });
      return nameOfNamespace;
    };

    before(async () => {
      subject = await factory();
      client = subject.client;
    });

    after(async () => {
      client.close?.();
      await subject.dispose?.();
    });

    describe('discovery', () => {
      const cases = [
        { apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true },
        { apiVersion: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false },
        { apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments', namespaced: true },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false },
        { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', namespaced: false },
      ];
      for (const expected of cases) {
        test(`${expected.apiVersion} ${expected.kind} is ${expected.namespaced ? 'namespaced' : 'cluster-scoped'}, served as "${expected.resource}"`, async () => {
          const info = await client.resourceFor(expected.apiVersion, expected.kind);
          assert.ok(info, `no resource info for ${expected.apiVersion} ${expected.kind}`);
          assert.equal(info.resource, expected.resource);
          assert.equal(info.namespaced, expected.namespaced);
          assert.equal(info.kind, expected.kind);
          assert.ok(info.verbs.includes('patch'), `verbs: ${info.verbs.join(',')}`);
        });
      }

      test('an unknown kind, or a known kind in a version that is not served, has no resource info', async () => {
        assert.equal(await client.resourceFor('nowhere.launchpad.dev/v1', 'Nothing'), undefined);
        assert.equal(await client.resourceFor('apps/v1beta1', 'Deployment'), undefined);
      });

      test('a CRD installed after discovery ran is found without invalidating discovery by hand', async (t) => {
        if (!subject.capabilities.customResourceDefinitions) {
          t.skip('no CustomResourceDefinitions');
          return;
        }
        // GIVEN discovery has run and does not know Widget
        assert.equal(await client.resourceFor('contract.launchpad.dev/v1', 'Widget'), undefined);
        // WHEN the CRD is installed and Established
        await client.apply(WIDGET_CRD);
        await eventually(
          async () => {
            const crd = (await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'widgets.contract.launchpad.dev' })) as WithStatus | undefined;
            return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
          },
          { what: 'CRD widgets.contract.launchpad.dev Established' },
        );
        // THEN the unknown kind triggers a refresh that finds it (the API server's discovery may lag Established)
        const info = await eventually(() => client.resourceFor('contract.launchpad.dev/v1', 'Widget'), { what: 'Widget in discovery' });
        assert.deepEqual({ group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }, { group: 'contract.launchpad.dev', version: 'v1', resource: 'widgets', namespaced: true });
        // AND its objects can be applied and replaced (custom resources refuse an update without resourceVersion)
        const ns = await namespace('contract-crd');
        await client.apply(manifest(`{apiVersion: contract.launchpad.dev/v1, kind: Widget, metadata: {name: w1, namespace: ${ns}}, spec: {size: 3}}`));
        const replaced = await client.replace(manifest(`{apiVersion: contract.launchpad.dev/v1, kind: Widget, metadata: {name: w1, namespace: ${ns}}, spec: {size: 4}}`));
        assert.deepEqual(replaced.spec, { size: 4 });
      });
    });

    describe('server-side apply', () => {
      test('creates, then updates; the field manager is "launchpad" with operation Apply, and fields dropped from the manifest go', async () => {
        const ns = await namespace('contract-apply');
        const created = (await client.apply(configMap(ns, 'settings', { color: 'blue', size: 'large' }))) as ConfigMap;
        assert.deepEqual(created.data, { color: 'blue', size: 'large' });
        const entries = managedFieldsOf(created);
        assert.deepEqual(
          entries.map((entry) => [entry.manager, entry.operation]),
          [['launchpad', 'Apply']],
        );

        await client.apply(configMap(ns, 'settings', { color: 'green' }));
        const live = (await client.get(ref(ns, 'settings'))) as ConfigMap | undefined;
        assert.ok(live, 'the ConfigMap is gone');
        assert.deepEqual(live.data, { color: 'green' });
        assert.ok(managedFieldsOf(live).some((entry) => entry.manager === 'launchpad' && entry.operation === 'Apply'));
      });

      test('force takes over a field another manager owns; without force the conflict is an error naming the object', async () => {
        const ns = await namespace('contract-force');
        await client.apply(configMap(ns, 'shared', { owner: 'them' }), { fieldManager: 'someone-else' });

        const refused = await client.apply(configMap(ns, 'shared', { owner: 'us' }), { force: false }).then(
          () => assert.fail('an apply without force took over a field owned by another manager'),
          (error: unknown) => error,
        );
        assert.ok(refused instanceof KubeError, String(refused));
        assert.equal(refused.status, 409);
        assert.match(refused.message, new RegExp(`^ConfigMap/${ns}/shared: apply failed: .*conflict.*someone-else`, 'is'));

        const taken = (await client.apply(configMap(ns, 'shared', { owner: 'us' }))) as ConfigMap;
        assert.deepEqual(taken.data, { owner: 'us' });
        const owners = managedFieldsOf(taken).filter((entry) => JSON.stringify(entry.fieldsV1 ?? {}).includes('f:owner'));
        assert.deepEqual(
          owners.map((entry) => entry.manager),
          ['launchpad'],
        );
      });

      test('dry-run returns the object with the server defaults filled in and persists nothing', async () => {
        const ns = await namespace('contract-dry-run');
        const result = (await client.apply(deployment(ns, 'web'), { dryRun: true })) as Deployment;
        const defaults = { replicas: result.spec?.replicas, strategy: result.spec?.strategy?.type, pullPolicy: result.spec?.template?.spec?.containers?.[0]?.imagePullPolicy };
        assert.deepEqual(defaults, { replicas: 1, strategy: 'RollingUpdate', pullPolicy: 'IfNotPresent' });
        assert.equal(await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' }), undefined);

        // An existing object is not changed by a dry-run either.
        await client.apply(configMap(ns, 'kept', { value: 'old' }));
        const preview = (await client.apply(configMap(ns, 'kept', { value: 'new' }), { dryRun: true })) as ConfigMap;
        assert.deepEqual(preview.data, { value: 'new' });
        assert.deepEqual(((await client.get(ref(ns, 'kept'))) as ConfigMap | undefined)?.data, { value: 'old' });
      });

      test('a dry-run of a kind the server does not serve fails with UnknownKindError naming the object', async () => {
        const ns = await namespace('contract-unknown-kind');
        const failure = await client.apply(manifest(`{apiVersion: nowhere.launchpad.dev/v1, kind: Gadget, metadata: {name: g1, namespace: ${ns}}}`), { dryRun: true }).then(
          () => assert.fail('a dry-run of an unknown kind succeeded'),
          (error: unknown) => error,
        );
        assert.ok(failure instanceof UnknownKindError, String(failure));
        assert.equal(failure.apiVersion, 'nowhere.launchpad.dev/v1');
        assert.equal(failure.kind, 'Gadget');
        assert.match(failure.message, new RegExp(`^Gadget/${ns}/g1: dry-run apply failed: .*Gadget.*CustomResourceDefinition`));
      });

      test('an invalid object is refused with the server\'s reason, terminal, HTTP status kept', async () => {
        const ns = await namespace('contract-invalid');
        const bad = { ...deployment(ns, 'web'), spec: { ...deployment(ns, 'web').spec, replicas: -1 } };
        const failure = await client.apply(bad).then(
          () => assert.fail('a Deployment with replicas -1 was accepted'),
          (error: unknown) => error,
        );
        assert.ok(failure instanceof KubeError, String(failure));
        assert.equal(failure.status, 422);
        assert.equal(failure.retryable, false);
        assert.match(failure.message, new RegExp(`^Deployment/${ns}/web: apply failed: .*spec\\.replicas.*must be greater than or equal to 0`));
      });

      test('a manifest that does not fit the kind\'s schema is refused, terminal, naming the object', async () => {
        const ns = await namespace('contract-schema');
        const failure = await client.apply(manifest(`{apiVersion: v1, kind: ConfigMap, metadata: {name: typed, namespace: ${ns}}, data: {count: 3}}`)).then(
          () => assert.fail('a ConfigMap with a number in data was accepted'),
          (error: unknown) => error,
        );
        assert.ok(failure instanceof KubeError, String(failure));
        assert.equal(failure.retryable, false);
        assert.match(failure.message, new RegExp(`^ConfigMap/${ns}/typed: apply failed: .*data\\.count`));
      });
    });

    describe('an admission webhook', () => {
      test('its denial of a dry-run names the object and carries the webhook\'s message; nothing is stored', async (t) => {
        if (!subject.capabilities.admissionWebhooks) {
          t.skip('no admission webhooks');
          return;
        }
        const webhook = await startTestWebhook('contract');
        t.after(async () => {
          await client.delete({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: 'contract' }, { propagationPolicy: 'Background' });
          await webhook.close();
        });
        const ns = await namespace('contract-webhook', { [WEBHOOK_NAMESPACE_LABEL]: 'on' });
        await client.apply(webhook.configuration);
        const bad = configMap(ns, 'bad', { forbidden: 'yes' });
        // The API server picks up webhook configurations asynchronously; dry-runs persist nothing, so just repeat.
        const denial = await eventually(
          () =>
            client.apply(bad, { dryRun: true }).then(
              () => undefined,
              (error: unknown) => error,
            ),
          { what: `the webhook to deny ConfigMap/${ns}/bad` },
        );
        assert.ok(denial instanceof KubeError, String(denial));
        assert.ok(denial.message.startsWith(`ConfigMap/${ns}/bad: dry-run apply failed: `), denial.message);
        assert.ok(denial.message.includes(WEBHOOK_DENIAL), denial.message);
        assert.equal(denial.retryable, false);
        assert.ok(webhook.reviews.some((review) => review.name === 'bad' && review.dryRun), `the webhook saw: ${JSON.stringify(webhook.reviews)}`);
        assert.equal(await client.get(ref(ns, 'bad')), undefined);

        const fine = (await client.apply(configMap(ns, 'fine', { allowed: 'yes' }), { dryRun: true })) as ConfigMap;
        assert.deepEqual(fine.data, { allowed: 'yes' });
      });
    });

    describe('create, replace, get', () => {
      test('create with generateName returns the object under the name the server chose', async () => {
        const ns = await namespace('contract-create');
        const created = await client.create(manifest(`{apiVersion: v1, kind: ConfigMap, metadata: {generateName: hook-, namespace: ${ns}}, data: {run: "1"}}`));
        const name = created.metadata.name ?? '';
        assert.match(name, /^hook-[a-z0-9]+$/);
        assert.deepEqual(((await client.get(ref(ns, name))) as ConfigMap | undefined)?.data, { run: '1' });
      });

      test('create of an existing name fails with AlreadyExists, terminal', async () => {
        const ns = await namespace('contract-create-twice');
        await client.create(configMap(ns, 'once', {}));
        const failure = await client.create(configMap(ns, 'once', {})).then(
          () => assert.fail('a second create succeeded'),
          (error: unknown) => error,
        );
        assert.ok(failure instanceof KubeError, String(failure));
        assert.equal(failure.status, 409);
        assert.equal(failure.reason, 'AlreadyExists');
        assert.equal(failure.retryable, false);
        assert.match(failure.message, new RegExp(`^ConfigMap/${ns}/once: create failed: .*already exists`));
      });

      test('replace overwrites the whole object, and creates it when missing', async () => {
        const ns = await namespace('contract-replace');
        await client.apply(configMap(ns, 'whole', { a: '1', b: '2' }));
        const replaced = (await client.replace(configMap(ns, 'whole', { c: '3' }))) as ConfigMap;
        assert.deepEqual(replaced.data, { c: '3' });
        assert.deepEqual(((await client.get(ref(ns, 'whole'))) as ConfigMap | undefined)?.data, { c: '3' });

        await client.replace(configMap(ns, 'fresh', { d: '4' }));
        assert.deepEqual(((await client.get(ref(ns, 'fresh'))) as ConfigMap | undefined)?.data, { d: '4' });
      });

      test('a merge patch changes and removes fields (null deletes); a JSON patch applies its operations; a missing object is NotFound', async () => {
        const ns = await namespace('contract-patch');
        await client.apply(configMap(ns, 'patched', { a: '1', b: '2' }));
        const merged = (await client.patch(ref(ns, 'patched'), { data: { a: '10', b: null, c: '3' } })) as ConfigMap;
        assert.deepEqual(merged.data, { a: '10', c: '3' });
        const jsonPatched = (await client.patch(ref(ns, 'patched'), [{ op: 'remove', path: '/data/c' }, { op: 'add', path: '/data/d', value: '4' }], { type: 'json' })) as ConfigMap;
        assert.deepEqual(jsonPatched.data, { a: '10', d: '4' });
        const failure = await client.patch(ref(ns, 'absent'), { data: { a: '1' } }).then(() => undefined, (error: unknown) => error);
        assert.ok(failure instanceof KubeError, String(failure));
        assert.equal(failure.status, 404);
        assert.match(failure.message, new RegExp(`^ConfigMap/${ns}/absent: patch failed`));
      });

      test('get of a missing object, or of a kind the server does not serve, is undefined', async () => {
        const ns = await namespace('contract-get');
        assert.equal(await client.get(ref(ns, 'absent')), undefined);
        assert.equal(await client.get({ apiVersion: 'nowhere.launchpad.dev/v1', kind: 'Nothing', namespace: ns, name: 'x' }), undefined);
      });
    });

    describe('delete', () => {
      test('Background deletes the object; a dry-run deletes nothing', async () => {
        const ns = await namespace('contract-delete');
        await client.apply(configMap(ns, 'doomed', {}));
        await client.delete(ref(ns, 'doomed'), { dryRun: true, propagationPolicy: 'Background' });
        const still = await client.get(ref(ns, 'doomed'));
        assert.ok(still, 'a dry-run delete removed the object');
        assert.equal(still.metadata.deletionTimestamp, undefined);

        await client.delete(ref(ns, 'doomed'), { propagationPolicy: 'Background' });
        assert.equal(await client.get(ref(ns, 'doomed')), undefined);
      });

      for (const [policy, finalizer] of [
        ['Foreground', 'foregroundDeletion'],
        ['Orphan', 'orphan'],
      ] as const) {
        test(`${policy} is passed to the server: the object is gone or waits on the "${finalizer}" finalizer`, async () => {
          const ns = await namespace(`contract-delete-${policy.toLowerCase()}`);
          await client.apply(configMap(ns, 'owner', {}));
          await client.delete(ref(ns, 'owner'), { propagationPolicy: policy });
          const live = await client.get(ref(ns, 'owner'));
          // Without a garbage collector (tier 1) the object stays, marked; with one it may already be gone.
          if (live !== undefined) {
            assert.notEqual(live.metadata.deletionTimestamp, undefined);
            assert.ok((live.metadata.finalizers as string[] | undefined)?.includes(finalizer), JSON.stringify(live.metadata.finalizers));
          }
        });
      }

      test('deleting a missing object, or an object of an unknown kind, resolves', async () => {
        const ns = await namespace('contract-delete-missing');
        await client.delete(ref(ns, 'never-existed'));
        await client.delete({ apiVersion: 'nowhere.launchpad.dev/v1', kind: 'Nothing', namespace: ns, name: 'x' });
      });
    });

    describe('list', () => {
      test('a label selector across all namespaces finds exactly the labelled objects, with apiVersion and kind', async () => {
        const first = await namespace('contract-list-a');
        const second = await namespace('contract-list-b');
        const label = { 'contract.launchpad.dev/list': 'yes' };
        await client.apply(configMap(first, 'one', {}, label));
        await client.apply(configMap(second, 'two', {}, label));
        await client.apply(configMap(second, 'unlabelled', {}));

        const everywhere = await client.list('v1', 'ConfigMap', { labelSelector: 'contract.launchpad.dev/list=yes' });
        assert.deepEqual(everywhere.map((object) => `${object.apiVersion} ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`).sort(), [
          `v1 ConfigMap ${first}/one`,
          `v1 ConfigMap ${second}/two`,
        ]);
        const inSecond = await client.list('v1', 'ConfigMap', { namespace: second, labelSelector: 'contract.launchpad.dev/list=yes' });
        assert.deepEqual(
          inSecond.map((object) => object.metadata.name),
          ['two'],
        );
      });

      test('a kind the server does not serve lists as empty', async () => {
        assert.deepEqual(await client.list('nowhere.launchpad.dev/v1', 'Nothing'), []);
      });
    });

    describe('watch', () => {
      test('sees ADDED, MODIFIED and DELETED for matching objects, and resolves when aborted', async () => {
        const ns = await namespace('contract-watch');
        const events: WatchEvent[] = [];
        const controller = new AbortController();
        const seen = (type: WatchEvent['type'], name: string): boolean => events.some((event) => event.type === type && event.object.metadata.name === name);
        const watching = client.watch('v1', 'ConfigMap', { namespace: ns, labelSelector: 'watched=yes', signal: controller.signal }, (event) => events.push(event));

        await client.apply(configMap(ns, 'w', { step: '1' }, { watched: 'yes' }));
        await client.apply(configMap(ns, 'ignored', {}));
        await eventually(() => Promise.resolve(seen('ADDED', 'w')), { what: 'ADDED ConfigMap w' });
        await client.apply(configMap(ns, 'w', { step: '2' }, { watched: 'yes' }));
        await eventually(() => Promise.resolve(seen('MODIFIED', 'w')), { what: 'MODIFIED ConfigMap w' });
        await client.delete(ref(ns, 'w'), { propagationPolicy: 'Background' });
        await eventually(() => Promise.resolve(seen('DELETED', 'w')), { what: 'DELETED ConfigMap w' });

        controller.abort();
        await watching;
        assert.ok(!events.some((event) => event.object.metadata.name === 'ignored'), 'an object outside the label selector was reported');
        assert.ok(events.every((event) => event.object.apiVersion === 'v1' && event.object.kind === 'ConfigMap'));
        const modified = events.find((event) => event.type === 'MODIFIED');
        assert.deepEqual((modified?.object as ConfigMap | undefined)?.data, { step: '2' });
      });

      test('objects that exist when the watch starts arrive as ADDED', async () => {
        const ns = await namespace('contract-watch-existing');
        await client.apply(configMap(ns, 'before', {}));
        const events: WatchEvent[] = [];
        const controller = new AbortController();
        const watching = client.watch('v1', 'ConfigMap', { namespace: ns, signal: controller.signal }, (event) => events.push(event));
        await eventually(() => Promise.resolve(events.some((event) => event.type === 'ADDED' && event.object.metadata.name === 'before')), { what: 'ADDED ConfigMap before' });
        controller.abort();
        await watching;
      });

      test('a watch of a kind the server does not serve fails with UnknownKindError', async () => {
        const failure = await client.watch('nowhere.launchpad.dev/v1', 'Nothing', { signal: new AbortController().signal }, () => undefined).then(
          () => assert.fail('a watch of an unknown kind resolved'),
          (error: unknown) => error,
        );
        assert.ok(failure instanceof UnknownKindError, String(failure));
      });
    });

    test('serverVersion reads like "v1.35.4"', async () => {
      assert.match(await client.serverVersion(), /^v\d+\.\d+\.\d+/);
    });
  });
}
