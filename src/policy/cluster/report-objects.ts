/**
 * PolicyReport and ClusterPolicyReport objects (wgpolicyk8s.io/v1alpha2) from scan results: one report per namespace
 * for namespaced objects and one cluster report for cluster-scoped ones, results sorted so that an unchanged scan
 * writes nothing. Pure: the background scanner decides when to write.
 */
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { LoadedPolicy, RuleResult, RuleStatus } from '../api.js';

export const REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
/** Names chosen apart from upstream Kyverno's, so both can report side by side. */
export const NAMESPACE_REPORT_PREFIX = 'launchpad-polr-ns-';
export const CLUSTER_REPORT_NAME = 'launchpad-cpolr';
export const REPORT_LABELS = { 'app.kubernetes.io/managed-by': 'launchpad', 'app.kubernetes.io/part-of': 'launchpad' } as const;

/** One object's results from one scan. */
export interface ScannedObject {
  readonly object: KubeObject;
  readonly results: readonly RuleResult[];
  /** When it was scanned (seconds since the epoch). */
  readonly scannedAt: number;
}

interface ReportResult {
  readonly policy: string;
  readonly rule: string;
  readonly result: RuleStatus;
  readonly message: string;
  readonly scored: true;
  readonly source: 'launchpad';
  readonly category?: string;
  readonly severity?: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: 0 };
  readonly resources: readonly Record<string, string>[];
  readonly properties: { readonly action: string };
}

const annotation = (policy: LoadedPolicy | undefined, key: string): string | undefined => {
  const value = policy?.source.metadata.annotations?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function resourceRef(object: KubeObject): Record<string, string> {
  const { apiVersion, kind, metadata } = object;
  return {
    apiVersion, kind, name: metadata.name ?? '',
    ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
    ...(typeof metadata.uid === 'string' ? { uid: metadata.uid } : {}),
  };
}

function reportResult(scanned: ScannedObject, result: RuleResult, policies: ReadonlyMap<string, LoadedPolicy>): ReportResult {
  const policyName = result.policyNamespace === undefined ? result.policy : `${result.policyNamespace}/${result.policy}`;
  const policy = policies.get(policyName);
  const category = annotation(policy, 'policies.kyverno.io/category');
  const severity = annotation(policy, 'policies.kyverno.io/severity');
  return {
    policy: policyName,
    rule: result.rule,
    result: result.status,
    message: result.message,
    scored: true,
    source: 'launchpad',
    ...(category === undefined ? {} : { category }),
    ...(severity === undefined ? {} : { severity }),
    timestamp: { seconds: scanned.scannedAt, nanos: 0 },
    resources: [resourceRef(scanned.object)],
    properties: { action: result.action },
  };
}

const STATUSES: readonly RuleStatus[] = ['pass', 'fail', 'warn', 'error', 'skip'];

function summary(results: readonly ReportResult[]): Record<RuleStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<RuleStatus, number>;
  for (const result of results) counts[result.result] += 1;
  return counts;
}

const sortKey = (result: ReportResult): string => `${result.resources[0]?.kind ?? ''}/${result.resources[0]?.name ?? ''}/${result.policy}/${result.rule}`;

/** `policy` or `namespace/policy` → the loaded policy, for annotations. */
export function policyIndex(policies: readonly LoadedPolicy[]): Map<string, LoadedPolicy> {
  return new Map(policies.map((policy) => [policy.namespace === undefined ? policy.name : `${policy.namespace}/${policy.name}`, policy]));
}

/**
 * The reports for `scanned`, keyed by namespace ('' = the cluster report). Namespaces without results get no report
 * (the scanner deletes the ones that exist).
 */
export function buildReports(scanned: readonly ScannedObject[], policies: readonly LoadedPolicy[]): Map<string, KubeObject> {
  const index = policyIndex(policies);
  const byNamespace = new Map<string, ReportResult[]>();
  for (const item of scanned) {
    const namespace = item.object.metadata.namespace ?? '';
    const list = byNamespace.get(namespace) ?? [];
    list.push(...item.results.map((result) => reportResult(item, result, index)));
    byNamespace.set(namespace, list);
  }
  const reports = new Map<string, KubeObject>();
  for (const [namespace, results] of byNamespace) {
    if (results.length === 0) continue;
    const sorted = [...results].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const metadata = namespace === ''
      ? { name: CLUSTER_REPORT_NAME, labels: { ...REPORT_LABELS } }
      : { name: `${NAMESPACE_REPORT_PREFIX}${namespace}`, namespace, labels: { ...REPORT_LABELS } };
    reports.set(namespace, {
      apiVersion: REPORT_API_VERSION,
      kind: namespace === '' ? 'ClusterPolicyReport' : 'PolicyReport',
      metadata,
      summary: summary(sorted),
      results: sorted,
    });
  }
  return reports;
}

/** The report without timestamps: equal fingerprints mean writing would change nothing a reader cares about. */
export function reportFingerprint(report: KubeObject | undefined): string {
  if (report === undefined) return '';
  const results = Array.isArray(report.results) ? report.results.filter(isPlainObject).map((result) => ({ ...result, timestamp: undefined })) : [];
  return JSON.stringify({ summary: report.summary, results });
}
