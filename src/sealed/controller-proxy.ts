/**
 * Talking to the sealed-secrets controller the way kubeseal does: through the API server's service proxy, so only
 * kubeconfig access is needed. The Service's first port name is looked up first (the Bitnami chart names it `http`),
 * then `/api/v1/namespaces/<ns>/services/http:<name>:<port>/proxy/<path>` is called.
 */
import { KubeError } from '../errors.js';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import type { LoadKubeconfigOptions } from '../kube/kubeconfig.js';
import { Requester, isOk } from '../kube/requester.js';
import { Transport } from '../kube/transport.js';

export const DEFAULT_CONTROLLER_NAMESPACE = 'kube-system';
export const DEFAULT_CONTROLLER_NAME = 'sealed-secrets-controller';

export interface ControllerRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ControllerProxy {
  /** GET or POST a controller path (`/v1/cert.pem`, `/v1/verify`, `/v1/rotate`); any HTTP status is returned. */
  call(method: 'GET' | 'POST', path: string, body?: string): Promise<{ readonly status: number; readonly body: string }>;
  close(): void;
}

export function openControllerProxy(controller: ControllerRef, kubeconfig: LoadKubeconfigOptions = {}): ControllerProxy {
  const loaded = loadKubeconfig(kubeconfig);
  const transport = new Transport(loaded.config, loaded.server);
  const requester = new Requester(transport, { server: loaded.server, context: loaded.context, user: loaded.user });
  const service = `Service/${controller.namespace}/${controller.name}`;
  const servicePath = `/api/v1/namespaces/${encodeURIComponent(controller.namespace)}/services/${encodeURIComponent(controller.name)}`;
  let portName: Promise<string> | undefined;
  const lookupPort = async (): Promise<string> => {
    const what = { subject: service, verb: 'get' };
    const response = await requester.send({ method: 'GET', path: servicePath }, what);
    if (response.status === 404) {
      throw new KubeError(service, 'the sealed-secrets controller Service was not found', {
        fix: 'pass --controller-namespace and --controller-name, or --cert with the controller certificate',
      });
    }
    if (!isOk(response)) throw requester.failure(what, response);
    const ports = (JSON.parse(response.body) as { spec?: { ports?: { name?: string; port?: number }[] } }).spec?.ports ?? [];
    const first = ports[0];
    if (first === undefined) throw new KubeError(service, 'the Service has no ports');
    return first.name || String(first.port ?? '');
  };
  return {
    async call(method, path, body) {
      portName ??= lookupPort();
      const port = await portName;
      const what = { subject: service, verb: `${method} ${path} through the service proxy` };
      const response = await requester.send(
        {
          method,
          path: `/api/v1/namespaces/${encodeURIComponent(controller.namespace)}/services/http:${encodeURIComponent(controller.name)}:${encodeURIComponent(port)}/proxy${path}`,
          accept: 'application/x-pem-file, */*',
          ...(body === undefined ? {} : { body, contentType: 'application/json' }),
        },
        what,
      );
      return { status: response.status, body: response.body };
    },
    close() {
      transport.close();
    },
  };
}
