/**
 * Which replica the Service sends requests to. The web UI and API, `/v1/cert.pem`, Git webhooks and the policy
 * webhooks are served from the state the leader holds; a standby is alive and Ready (so a rolling update completes)
 * but has nothing to answer with. The leader therefore labels its own Pod `launchpad.dev/leader: "true"` and the
 * Service selects on that label: requests reach the leader only, and move with the Lease.
 *
 * A process clears the label from its own Pod when it starts (a restarted leader keeps its Pod and so its labels),
 * and a new leader clears it from any other Pod (an old leader that hangs without exiting). Out of a cluster — no
 * `POD_NAME` — there is no Pod to label and nothing is done.
 */
import { describeError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import type { Logger } from './services.js';

export const LEADER_LABEL = 'launchpad.dev/leader';

export interface OwnPod {
  readonly name: string;
  readonly namespace: string;
}

/** The Pod this process runs in, from the downward-API variables the install sets; undefined out of a cluster. */
export function ownPodFromEnv(env: NodeJS.ProcessEnv = process.env, fallbackNamespace?: string): OwnPod | undefined {
  const name = env.POD_NAME;
  const namespace = env.POD_NAMESPACE ?? fallbackNamespace;
  if (name === undefined || name === '' || namespace === undefined || namespace === '') return undefined;
  return { name, namespace };
}

async function setLabel(client: KubeClient, pod: OwnPod, value: string | null): Promise<void> {
  await client.patch({ apiVersion: 'v1', kind: 'Pod', namespace: pod.namespace, name: pod.name }, { metadata: { labels: { [LEADER_LABEL]: value } } });
}

/**
 * Failing to label is logged, never fatal: the controller still works, only requests through the Service may reach
 * a standby (which answers 503 and says so) until the next leader takes over.
 */
export class LeaderPodLabel {
  constructor(private readonly client: KubeClient, private readonly pod: OwnPod, private readonly log: Logger) {}

  /** At start, before competing for the Lease. */
  async clearOwn(): Promise<void> {
    await setLabel(this.client, this.pod, null).catch((error: unknown) => {
      this.log.warn({ pod: this.pod.name }, `could not clear the ${LEADER_LABEL} label on Pod/${this.pod.namespace}/${this.pod.name}: ${describeError(error)}`);
    });
  }

  /** On taking the Lease: label this Pod, then take the label from every other Pod that still carries it. */
  async markLeader(): Promise<void> {
    try {
      await setLabel(this.client, this.pod, 'true');
      const others = await this.client.list('v1', 'Pod', { namespace: this.pod.namespace, labelSelector: `${LEADER_LABEL}=true` });
      for (const other of others) {
        const name = other.metadata.name;
        if (name === undefined || name === this.pod.name) continue;
        await setLabel(this.client, { name, namespace: this.pod.namespace }, null);
        this.log.info({ pod: name }, `took the ${LEADER_LABEL} label from a previous leader`);
      }
    } catch (error) {
      this.log.warn({ pod: this.pod.name }, `could not label Pod/${this.pod.namespace}/${this.pod.name} as the leader (the Service may send requests to a standby): ${describeError(error)}`);
    }
  }
}
