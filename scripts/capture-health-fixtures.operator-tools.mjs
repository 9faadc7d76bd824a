// The table-driven engine behind the operator scenarios of scripts/capture-health-fixtures.mjs
// (capture-health-fixtures.seed-stack.mjs and capture-health-fixtures.ecosystem.mjs). Each entry names a fixture,
// an object and the status its operator writes; the engine installs one open-schema CRD per kind, creates the object
// (the API server fills metadata, generation and timestamps), writes the status through the status subresource as
// the operator would, and writes the fixture with the health it must have.

export const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The fixture's note for a status the script wrote. */
export const WRITTEN_BY = (operator) => `Status written through the API by the capture script as ${operator} writes it; the controller is not part of the test control plane.`;

const crd = ({ group, kind, plural, version, namespaced }) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  // Groups under k8s.io (Gateway API) are protected: the API server wants the approval annotation the real CRDs carry.
  metadata: { name: `${plural}.${group}`, ...(group.endsWith('k8s.io') ? { annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2997' } } : {}) },
  spec: {
    group,
    scope: namespaced ? 'Namespaced' : 'Cluster',
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [{ name: version, served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

const groupOf = (apiVersion) => apiVersion.split('/')[0];
const versionOf = (apiVersion) => apiVersion.split('/')[1];
const resourceOf = (entry) => `${entry.plural}.${groupOf(entry.apiVersion)}`;

async function installCrds(t, entries) {
  const kinds = new Map();
  for (const entry of entries) {
    const definition = { group: groupOf(entry.apiVersion), version: versionOf(entry.apiVersion), kind: entry.kind, plural: entry.plural, namespaced: entry.namespaced !== false };
    kinds.set(`${definition.plural}.${definition.group}`, definition);
  }
  for (const definition of kinds.values()) await t.create(JSON.stringify(crd(definition)));
  for (const name of kinds.keys()) await t.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/${name}`]);
}

/**
 * One fixture: create, optionally change the spec afterwards (so the status below is for an older generation), write
 * the status (`status: null` writes none), read the object back and write it as `file`.
 */
async function capture(t, entry) {
  const namespace = entry.namespaced === false ? '' : t.namespace;
  const metadata = { name: entry.name, ...(namespace === '' ? {} : { namespace }), ...entry.metadata };
  await t.create(JSON.stringify({ apiVersion: entry.apiVersion, kind: entry.kind, metadata, ...(entry.spec === undefined ? {} : { spec: entry.spec }) }));
  const resource = resourceOf(entry);
  if (entry.status !== null) await t.patchStatus(resource, entry.name, { status: entry.status() }, namespace);
  if (entry.specChange !== undefined) {
    await t.kubectl(['patch', resource, entry.name, ...(namespace === '' ? [] : ['-n', namespace]), '--type=merge', '-p', JSON.stringify({ spec: entry.specChange })]);
  }
  const note = entry.note ?? (entry.status === null ? [] : [WRITTEN_BY(entry.operator)]);
  t.write(entry.file, await t.get(resource, entry.name, namespace), entry.expected, note);
}

export async function captureOperatorFixtures(t, entries) {
  await installCrds(t, entries);
  for (const entry of entries) await capture(t, entry);
}

/** A standard condition as operators write it (metav1.Condition). */
export const condition = (type, status, reason, message, extra = {}) => ({ type, status, reason, message, lastTransitionTime: stamp(), ...extra });
