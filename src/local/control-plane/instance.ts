/** The running components of one control plane, in start order, so a failed start can be undone. */
import type { ControlPlaneLayout, ControlPlanePorts } from './components.js';
import type { Daemon } from './daemon.js';
import { startDaemon } from './daemon.js';
import { recordDaemon } from './workspace.js';

export class Instance {
  readonly daemons: Daemon[] = [];
  readonly crashes: string[] = [];
  stopping = false;
  /** Resolves with a message when the first component exits while not being stopped. */
  readonly failed: Promise<string>;
  private reportFailure: (message: string) => void = () => undefined;

  constructor(
    readonly layout: ControlPlaneLayout,
    readonly ports: ControlPlanePorts,
  ) {
    this.failed = new Promise((resolve) => {
      this.reportFailure = resolve;
    });
  }

  start(name: string, command: string, args: readonly string[]): Daemon {
    const daemon = startDaemon({ name, command, args, logFile: `${this.layout.logDir}/${name}.log`, cwd: this.layout.root });
    recordDaemon(this.layout.root, daemon.pid);
    this.daemons.push(daemon);
    void daemon.exited.then((status) => {
      if (this.stopping) return;
      const message = `${name} exited unexpectedly (${String(status)}); log: ${daemon.logFile}`;
      this.crashes.push(message);
      this.reportFailure(message);
      process.stderr.write(`launchpad control plane: ${message}\n`);
    });
    return daemon;
  }

  /**
   * Stops the components: the API server's clients (controllers, kwok) together, then the API server, then etcd,
   * so nothing logs a storm of connection errors on its way out.
   */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const [etcd, apiserver, ...clients] = this.daemons;
    await Promise.all(clients.map((daemon) => daemon.stop()));
    await apiserver?.stop();
    await etcd?.stop();
  }
}

