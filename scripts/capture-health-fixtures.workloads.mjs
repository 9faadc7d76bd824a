// Workload scenarios for scripts/capture-health-fixtures.mjs: Deployments, ReplicaSets, Pods, StatefulSets,
// DaemonSets, Jobs and CronJobs. Pods are unschedulable with a nodeSelector no node has; kwok's stages make the
// rest run, succeed and be deleted.

const NOWHERE = 'nodeSelector: {launchpad.dev/pool: nowhere}';
const WRITTEN = (what) => [`Status written through the API's status subresource by the capture script: ${what}.`];

const deployment = (ns, name, { replicas = 2, spec = '', pod = '' } = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  ${spec}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      ${pod}
      containers: [{name: app, image: "registry.example/${name}:1"}]
`;

const pod = (ns, name, { restartPolicy = 'Always', extra = '' } = {}) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  restartPolicy: ${restartPolicy}
  ${extra}
  containers: [{name: app, image: "registry.example/${name}:1"}]
`;

const job = (ns, name, spec = '', podSpec = '') => `
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: ${ns}}
spec:
  backoffLimit: 0
  ${spec}
  template:
    spec:
      restartPolicy: Never
      ${podSpec}
      containers: [{name: ${name}, image: "registry.example/${name}:1"}]
`;

const cronJob = (ns, name, { suspend = false, podSpec = '' } = {}) => `
apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}, namespace: ${ns}}
spec:
  schedule: "* * * * *"
  suspend: ${suspend}
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          ${podSpec}
          containers: [{name: ${name}, image: "registry.example/${name}:1"}]
`;

async function firstOf(t, resource, selector) {
  const found = await t.json(['get', resource, '-n', t.namespace, '-l', selector]);
  const [item] = found.items;
  if (item === undefined) throw new Error(`no ${resource} with ${selector}`);
  return item;
}

async function deployments(t) {
  const ns = t.namespace;
  await t.create(deployment(ns, 'web', { replicas: 2 }));
  await t.create(deployment(ns, 'pending', { replicas: 3, pod: NOWHERE }));
  await t.create(deployment(ns, 'stuck', { replicas: 1, spec: 'progressDeadlineSeconds: 2', pod: NOWHERE }));
  await t.create(deployment(ns, 'paused', { replicas: 1, spec: 'paused: true' }));
  t.write('deployment-healthy', await t.waitHealth('deployment', 'web', 'Healthy'), 'Healthy');
  t.write('replicaset-healthy', await firstOf(t, 'replicaset', 'app=web'), 'Healthy');
  const progressing = await t.waitHealth('deployment', 'pending', 'Progressing', { also: (d) => d.status?.updatedReplicas === 3 });
  t.write('deployment-progressing', progressing, 'Progressing');
  t.write('deployment-degraded', await t.waitHealth('deployment', 'stuck', 'Degraded'), 'Degraded');
  t.write('deployment-suspended', await t.waitHealth('deployment', 'paused', 'Suspended'), 'Suspended');
  // A spec change the controller has not observed yet: hold kube-controller-manager while changing the image.
  await t.paused('kube-controller-manager', async () => {
    await t.kubectl(['set', 'image', '-n', ns, 'deployment/web', 'app=registry.example/web:2']);
    t.write('deployment-generation-unobserved', await t.get('deployment', 'web'), 'Progressing');
  });
  t.write('replicaset-progressing', await firstOf(t, 'replicaset', 'app=pending'), 'Progressing');
}

async function quotaReplicaSet(t) {
  // A ReplicaSet whose Pods a ResourceQuota refuses gets ReplicaFailure=True.
  await t.create(`{apiVersion: v1, kind: Namespace, metadata: {name: quota}}`);
  await t.create(`{apiVersion: v1, kind: ResourceQuota, metadata: {name: no-pods, namespace: quota}, spec: {hard: {pods: "0"}}}`);
  await t.create(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: refused, namespace: quota}
spec:
  replicas: 1
  selector: {matchLabels: {app: refused}}
  template:
    metadata: {labels: {app: refused}}
    spec: {containers: [{name: app, image: "registry.example/refused:1"}]}
`);
  t.write('replicaset-degraded', await t.waitHealth('replicaset', 'refused', 'Degraded', { namespace: 'quota' }), 'Degraded');
}

async function pods(t) {
  const ns = t.namespace;
  await t.create(pod(ns, 'api'));
  await t.create(pod(ns, 'unschedulable', { extra: NOWHERE }));
  t.write('pod-running', await t.waitHealth('pod', 'api', 'Healthy'), 'Healthy');
  const unschedulable = await t.waitHealth('pod', 'unschedulable', 'Progressing', { also: (p) => (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled') });
  t.write('pod-pending', unschedulable, 'Progressing');
  await t.create(pod(ns, 'crashloop'));
  const started = await t.waitHealth('pod', 'crashloop', 'Healthy');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const crashing = await t.patchStatus('pod', 'crashloop', {
    status: {
      conditions: started.status.conditions.map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]', lastTransitionTime: now } : c)),
      containerStatuses: [{
        name: 'app', image: 'registry.example/crashloop:1', imageID: '', ready: false, started: false, restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 1m20s restarting failed container=app pod=crashloop_${ns}` } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
      }],
    },
  });
  t.write('pod-crashloop', crashing, 'Degraded', WRITTEN('kwok runs no containers, so the container state is the one a kubelet reports for a container that keeps exiting with code 1'));
  await t.create(pod(ns, 'failing', { restartPolicy: 'Never' }));
  await t.waitHealth('pod', 'failing', 'Progressing', { also: (p) => p.status?.phase === 'Running' });
  const failed = await t.patchStatus('pod', 'failing', {
    status: {
      phase: 'Failed',
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodFailed', lastTransitionTime: now }, { type: 'ContainersReady', status: 'False', reason: 'PodFailed', lastTransitionTime: now }],
      containerStatuses: [{ name: 'app', image: 'registry.example/failing:1', imageID: '', ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error', startedAt: now, finishedAt: now } } }],
    },
  });
  t.write('pod-failed', failed, 'Degraded', WRITTEN('kwok runs no containers, so the phase and container state are the ones a kubelet reports when a container exits with code 3'));
}

async function statefulSets(t) {
  const ns = t.namespace;
  const set = (name, podSpec = '') => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  serviceName: ${name}
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      ${podSpec}
      containers: [{name: db, image: "registry.example/${name}:1"}]
`;
  await t.create(set('db'));
  await t.create(set('db-pending', NOWHERE));
  t.write('statefulset-healthy', await t.waitHealth('statefulset', 'db', 'Healthy', { also: (s) => s.status?.readyReplicas === 2 }), 'Healthy');
  t.write('statefulset-progressing', await t.waitHealth('statefulset', 'db-pending', 'Progressing', { also: (s) => s.status?.observedGeneration === 1 }), 'Progressing');
}

async function daemonSets(t) {
  const ns = t.namespace;
  const daemon = (name) => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: agent, image: "registry.example/${name}:1"}]}
`;
  await t.create(daemon('agent'));
  t.write('daemonset-healthy', await t.waitHealth('daemonset', 'agent', 'Healthy', { also: (d) => d.status?.numberAvailable === 1 }), 'Healthy');
  // With kwok held, the DaemonSet's Pod is scheduled but never starts.
  await t.paused('kwok', async () => {
    await t.create(daemon('agent-rollout'));
    const rolling = await t.waitHealth('daemonset', 'agent-rollout', 'Progressing', { also: (d) => d.status?.desiredNumberScheduled === 1 && d.status?.updatedNumberScheduled === 1 });
    t.write('daemonset-progressing', rolling, 'Progressing');
  });
}

async function jobs(t) {
  const ns = t.namespace;
  await t.create(job(ns, 'migrate'));
  await t.create(job(ns, 'waiting', '', NOWHERE));
  await t.create(job(ns, 'deadline', 'activeDeadlineSeconds: 2', NOWHERE));
  await t.create(job(ns, 'later', 'suspend: true'));
  t.write('job-complete', await t.waitHealth('job', 'migrate', 'Healthy'), 'Healthy');
  t.write('pod-succeeded', await firstOf(t, 'pod', 'job-name=migrate'), 'Healthy');
  t.write('job-running', await t.waitHealth('job', 'waiting', 'Progressing', { also: (j) => j.status?.active === 1 }), 'Progressing');
  t.write('job-failed', await t.waitHealth('job', 'deadline', 'Degraded'), 'Degraded');
  t.write('job-suspended', await t.waitHealth('job', 'later', 'Suspended'), 'Suspended');
}

async function cronJobs(t) {
  const ns = t.namespace;
  await t.create(cronJob(ns, 'nightly', { suspend: true }));
  t.write('cronjob-suspended', await t.get('cronjob', 'nightly'), 'Suspended');
  await t.create(cronJob(ns, 'report'));
  await t.create(cronJob(ns, 'never', { podSpec: NOWHERE }));
  t.write('cronjob-unscheduled', await t.get('cronjob', 'report'), 'Healthy');
  // The first run starts at the next full minute.
  const minute = { timeoutMs: 150_000 };
  const succeeded = await t.waitHealth('cronjob', 'report', 'Healthy', { ...minute, also: (c) => c.status?.lastSuccessfulTime !== undefined && (c.status.active ?? []).length === 0 });
  t.write('cronjob-healthy', succeeded, 'Healthy');
  t.write('cronjob-never-succeeded', await t.waitHealth('cronjob', 'never', 'Healthy', { ...minute, also: (c) => c.status?.lastScheduleTime !== undefined }), 'Healthy');
  // A later run that failed: the last schedule is after the last success and nothing is active.
  const later = new Date(Date.parse(succeeded.status.lastSuccessfulTime) + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const degraded = await t.patchStatus('cronjob', 'report', { status: { lastScheduleTime: later } });
  t.write('cronjob-degraded', degraded, 'Degraded', WRITTEN('lastScheduleTime moved one minute past lastSuccessfulTime, as after a run that failed (waiting for a real failed run would take minutes)'));
}

export async function workloadScenarios(t) {
  await Promise.all([deployments(t), quotaReplicaSet(t), pods(t), statefulSets(t), daemonSets(t), jobs(t), cronJobs(t)]);
}
