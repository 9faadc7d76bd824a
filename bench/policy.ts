/**
 * `npm run bench:policy`. Two parts, each its own function:
 *  - benchEvaluation (here): validate+mutate evaluations per second — one `admit()` (mutate, then validate the mutated
 *    object) per object — for 50 policies over 10,000 objects. Baseline, measured in the same run: the same objects
 *    through the same engine with 50 policies whose rules match nothing (kind `NoSuchKind`), i.e. the cost of the
 *    pipeline itself; the ratio says what the rules' real work adds.
 *  - benchAdmissionLatency (bench/policy-admission.ts): webhook p50/p99 on the local API server beside no webhook.
 * Usage: node dist/bench/policy.js [objects] [--no-admission]
 */
import { fileURLToPath } from 'node:url';
import { admit, loadPolicy } from '../src/policy/index.js';
import type { KubeObject, LoadedPolicy } from '../src/policy/index.js';

const KINDS_OF_POLICY = 5;

/** Ten variants of each of five rule shapes: anchored pattern, deny with JMESPath, mutate, foreach, selector+message. */
function policyObjects(count: number, kindOverride?: string): unknown[] {
  const policies: unknown[] = [];
  for (let index = 0; index < count; index++) {
    const kinds = (fallback: string[]): string[] => (kindOverride === undefined ? fallback : [kindOverride]);
    const match = (fallback: string[]): unknown => ({ any: [{ resources: { kinds: kinds(fallback) } }] });
    const shapes: unknown[] = [
      { name: 'no-latest', match: match(['Pod']), validate: { failureAction: 'Audit', message: 'pin {{ request.object.metadata.name }}', pattern: { spec: { containers: [{ '(name)': '*', image: '!*:latest' }] } } } },
      { name: 'owner', match: match(['Pod', 'Deployment']), validate: { failureAction: 'Audit', deny: { conditions: { all: [{ key: '{{ request.object.metadata.labels.team || \'\' }}', operator: 'Equals', value: '' }] } } } },
      { name: 'label', match: match(['ConfigMap', 'Service']), mutate: { patchStrategicMerge: { metadata: { labels: { [`+(bench-${index})`]: 'yes' } } } } },
      { name: 'limits', match: match(['Pod']), validate: { failureAction: 'Audit', foreach: [{ list: 'request.object.spec.containers', deny: { conditions: { any: [{ key: '{{ element.resources.limits.memory || \'\' }}', operator: 'Equals', value: '' }] } } }] } },
      { name: 'replicas', match: { any: [{ resources: { kinds: kinds(['Deployment']), namespaces: ['team-*'], selector: { matchLabels: { app: '?*' } } } }] }, validate: { failureAction: 'Audit', pattern: { spec: { replicas: '>=2' } } } },
    ];
    policies.push({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: `bench-${index}` }, spec: { rules: [shapes[index % KINDS_OF_POLICY]] } });
  }
  return policies;
}

function objects(count: number): KubeObject[] {
  const made: KubeObject[] = [];
  for (let index = 0; index < count; index++) {
    const namespace = `team-${index % 20}`;
    const labels = { app: `app-${index % 50}`, ...(index % 3 === 0 ? { team: 'a' } : {}) };
    const containers = [{ name: 'app', image: index % 7 === 0 ? 'nginx:latest' : 'nginx:1.27', resources: index % 2 === 0 ? { limits: { memory: '128Mi' } } : {} }];
    switch (index % 4) {
      case 0:
        made.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${index}`, namespace, labels }, spec: { containers } });
        break;
      case 1:
        made.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `deploy-${index}`, namespace, labels }, spec: { replicas: index % 3, template: { spec: { containers } } } });
        break;
      case 2:
        made.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${index}`, namespace, labels }, data: { key: 'value' } });
        break;
      default:
        made.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${index}`, namespace, labels }, spec: { ports: [{ port: 80 }] } });
    }
  }
  return made;
}

async function evaluationsPerSecond(policies: readonly LoadedPolicy[], inputs: readonly KubeObject[]): Promise<{ perSecond: number; rulesRun: number }> {
  let rulesRun = 0;
  const started = process.hrtime.bigint();
  for (const object of inputs) {
    const result = await admit(policies, { operation: 'CREATE', object });
    rulesRun += result.rules.length + result.mutation.rules.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: inputs.length / seconds, rulesRun };
}

export interface EvaluationThroughput {
  readonly objects: number;
  readonly policies: number;
  readonly perSecond: number;
  readonly baselinePerSecond: number;
  readonly rulesRun: number;
}

export async function benchEvaluation(objectCount = 10_000, policyCount = 50): Promise<EvaluationThroughput> {
  const real = policyObjects(policyCount).map((object) => loadPolicy(object));
  const idle = policyObjects(policyCount, 'NoSuchKind').map((object) => loadPolicy(object));
  const inputs = objects(objectCount);
  // Warm-up (JIT, compiled JMESPath cache), then baseline and real runs in the same process.
  await evaluationsPerSecond(real, inputs.slice(0, 500));
  const baseline = await evaluationsPerSecond(idle, inputs);
  const measured = await evaluationsPerSecond(real, inputs);
  console.log(`policy evaluation: ${policyCount} policies × ${objectCount} objects (admit = mutate + validate)`);
  console.log(`  baseline (same engine, policies matching nothing): ${baseline.perSecond.toFixed(0)} evaluations/s`);
  console.log(`  real rules (${measured.rulesRun} rule results):           ${measured.perSecond.toFixed(0)} evaluations/s`);
  console.log(`  ratio real/baseline: ${(measured.perSecond / baseline.perSecond).toFixed(3)}`);
  return { objects: objectCount, policies: policyCount, perSecond: measured.perSecond, baselinePerSecond: baseline.perSecond, rulesRun: measured.rulesRun };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const count = Number(positional[0] ?? 10_000);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error(`objects ${positional[0] ?? ''}: give a whole number from 1 to 100000`);
  await benchEvaluation(count);
  if (!process.argv.includes('--no-admission')) {
    const { benchAdmissionLatency } = await import('./policy-admission.js');
    await benchAdmissionLatency();
  }
}
