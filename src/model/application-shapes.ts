/**
 * The field tables of an Argo CD Application (argoproj.io/v1alpha1), one per nested object, as in Argo CD's
 * types.go. Type checks happen here; rules across fields (chart vs ref, server vs name…) live in the validators.
 */
import type {
  ApplicationDestination,
  ApplicationSource,
  DirectorySource,
  HelmFileParameter,
  HelmParameter,
  HelmSource,
  IgnoreDifference,
  KubeMetadata,
  KustomizePatch,
  KustomizePatchTarget,
  KustomizeReplica,
  KustomizeSource,
  RetryBackoff,
  SyncPolicy,
} from './application.js';
import { parseGoDuration } from './duration.js';
import {
  readBoolean,
  readInt32,
  readList,
  readMapOf,
  readMapping,
  readObject,
  readString,
  readStringList,
  readStringMap,
  readYamlText,
} from './readers.js';
import type { Reader } from './readers.js';
import { describeValue } from './values.js';

/** Argo CD's sync options, `Key=Value`; unknown keys are warned about, in case of a typo. */
export const SYNC_OPTION_KEYS: readonly string[] = [
  'Validate',
  'CreateNamespace',
  'PruneLast',
  'PrunePropagationPolicy',
  'ApplyOutOfSyncOnly',
  'Replace',
  'Force',
  'ServerSideApply',
  'ClientSideApplyMigration',
  'FailOnSharedResource',
  'RespectIgnoreDifferences',
  'SkipDryRunOnMissingResource',
  'Prune',
  'Delete',
];

const readDuration: Reader<string> = (value, at, findings) => {
  const text = readString(value, at, findings);
  if (text === undefined) return undefined;
  if (parseGoDuration(text) !== undefined) return text;
  findings.error(at, `${JSON.stringify(text)} is not a duration`, 'use Go duration syntax such as "5s", "3m" or "1h2m"');
  return undefined;
};

const readSyncOption: Reader<string> = (value, at, findings) => {
  const text = readString(value, at, findings);
  if (text === undefined) return undefined;
  const equals = text.indexOf('=');
  if (equals <= 0) {
    findings.error(at, `sync option ${JSON.stringify(text)} is not of the form Key=Value`, 'write it like "CreateNamespace=true"');
    return undefined;
  }
  const key = text.slice(0, equals).trim();
  if (!SYNC_OPTION_KEYS.includes(key)) {
    findings.warn(at, `unknown sync option ${JSON.stringify(key)} is ignored`, `known options: ${SYNC_OPTION_KEYS.join(', ')}`);
  }
  return text;
};

/** Kustomize replica counts are an int or a string holding one (Kubernetes IntOrString). */
const readReplicaCount: Reader<number | string> = (value, at, findings) => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value;
  findings.error(at, `must be a whole number, got ${describeValue(value)}`, 'write the replica count, e.g. count: 3');
  return undefined;
};

const helmParameterInput = readObject<Omit<HelmParameter, 'value'> & { readonly value?: string }>(
  { name: readString, value: readString, forceString: readBoolean },
  { required: { name: 'name the Helm value to set, e.g. name: image.tag' } },
);

// Argo CD treats a parameter without a value as the empty string.
const readHelmParameter: Reader<HelmParameter> = (value, at, findings) => {
  const read = helmParameterInput(value, at, findings);
  return read === undefined ? undefined : { ...read, value: read.value ?? '' };
};

const readHelmFileParameter = readObject<HelmFileParameter>(
  { name: readString, path: readString },
  { required: { name: 'name the Helm value to set from the file', path: 'give the path of the file, relative to the chart' } },
);

export const readHelm = readObject<HelmSource>({
  valueFiles: readStringList,
  ignoreMissingValueFiles: readBoolean,
  values: readYamlText,
  valuesObject: readMapping,
  parameters: readList(readHelmParameter),
  fileParameters: readList(readHelmFileParameter),
  releaseName: readString,
  skipCrds: readBoolean,
  skipSchemaValidation: readBoolean,
  skipTests: readBoolean,
  passCredentials: readBoolean,
  kubeVersion: readString,
  apiVersions: readStringList,
  namespace: readString,
  version: readString,
});

const readPatchTarget = readObject<KustomizePatchTarget>({
  group: readString,
  version: readString,
  kind: readString,
  name: readString,
  namespace: readString,
  labelSelector: readString,
  annotationSelector: readString,
});

const readPatch = readObject<KustomizePatch>({
  path: readString,
  patch: readString,
  target: readPatchTarget,
  options: readMapOf(readBoolean),
});

const readReplica = readObject<KustomizeReplica>(
  { name: readString, count: readReplicaCount },
  { required: { name: 'name the Deployment or StatefulSet to scale', count: 'give the number of replicas, e.g. count: 2' } },
);

export const readKustomize = readObject<KustomizeSource>({
  namePrefix: readString,
  nameSuffix: readString,
  images: readStringList,
  commonLabels: readStringMap,
  commonAnnotations: readStringMap,
  commonAnnotationsEnvsubst: readBoolean,
  labelWithoutSelector: readBoolean,
  labelIncludeTemplates: readBoolean,
  forceCommonLabels: readBoolean,
  forceCommonAnnotations: readBoolean,
  namespace: readString,
  replicas: readList(readReplica),
  patches: readList(readPatch),
  components: readStringList,
  ignoreMissingComponents: readBoolean,
  version: readString,
  kubeVersion: readString,
  apiVersions: readStringList,
});

export const readDirectory = readObject<DirectorySource>({
  recurse: readBoolean,
  include: readString,
  exclude: readString,
  // extVars, tlas and libs; checked in detail by the Jsonnet renderer (render/jsonnet-options.ts).
  jsonnet: readMapping,
  disableExtensionFilter: readBoolean,
});

/** Required fields and rules across fields are checked by the source validator, so every problem is reported. */
export const readSource = readObject<Partial<ApplicationSource>>(
  {
    repoURL: readString,
    path: readString,
    chart: readString,
    targetRevision: readString,
    ref: readString,
    name: readString,
    tagPrefix: readString,
    directory: readDirectory,
    kustomize: readKustomize,
    helm: readHelm,
    plugin: readMapping,
  },
);

export const readDestination = readObject<ApplicationDestination>({ server: readString, name: readString, namespace: readString });

const readBackoff = readObject<RetryBackoff>({ duration: readDuration, factor: readInt32, maxDuration: readDuration });

type Retry = NonNullable<SyncPolicy['retry']>;
type Automated = NonNullable<SyncPolicy['automated']>;
type NamespaceMetadata = NonNullable<SyncPolicy['managedNamespaceMetadata']>;

export const readSyncPolicy = readObject<SyncPolicy>({
  automated: readObject<Automated>({ prune: readBoolean, selfHeal: readBoolean, allowEmpty: readBoolean, enabled: readBoolean }),
  syncOptions: readList(readSyncOption),
  retry: readObject<Retry>({ limit: readInt32, backoff: readBackoff, refresh: readBoolean }),
  managedNamespaceMetadata: readObject<NamespaceMetadata>({ labels: readStringMap, annotations: readStringMap }),
});

export const readIgnoreDifference = readObject<IgnoreDifference>(
  {
    group: readString,
    kind: readString,
    name: readString,
    namespace: readString,
    jsonPointers: readStringList,
    jqPathExpressions: readStringList,
    managedFieldsManagers: readStringList,
  },
  { required: { kind: 'name the kind whose differences to ignore, e.g. kind: Deployment' } },
);

export const readInfo = readObject<{ readonly name: string; readonly value: string }>(
  { name: readString, value: readString },
  { required: { name: 'give the entry a name', value: 'give the entry a value' } },
);

/** Fields every Kubernetes object may carry that Launchpad does not read. */
export const IGNORED_METADATA = [
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'managedFields',
  'selfLink',
];

/** `name` is checked by the validators, which know the kind of object and can say what a valid name is. */
export const readMetadata = readObject<Partial<KubeMetadata>>(
  { name: readString, namespace: readString, labels: readStringMap, annotations: readStringMap, finalizers: readStringList },
  { ignored: IGNORED_METADATA },
);
