/** The running components of one control plane, in start order, so a failed start can be undone. */
import type { ControlPlaneLayout, ControlPlanePorts } from './components.js';
import type { Daemon } from './daemon.js';
import { startDaemon } from './daemon.js';
import { recordDaemon } from './workspace.js';

export class Instance {
  readonly daemons: Daemon[] = [];
  readonly crashes: string[] = [];
  stopping = false;

  constructor(
    readonly layout: ControlPlaneLayout,
    readonly ports: ControlPlanePorts,
  ) {}

  start(name: string, command: string, args: readonly string[]): Daemon {
    const daemon = startDaemon({ name, command, args, logFile: `${this.layout.logDir}/${name}.log`, cwd: this.layout.root });
    recordDaemon(this.layout.root, daemon.pid);
    this.daemons.push(daemon);
    void daemon.exited.then((status) => {
      if (this.stopping) return;
      const message = `${name} exited unexpectedly (${String(status)}); log: ${daemon.logFile}`;
      this.crashes.push(message);
      process.stderr.write(`launchpad control plane: ${message}\n`);
    });
    return daemon;
  }

  /** Stops the components in reverse start order: kwok and controllers first, etcd last. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const daemon of [...this.daemons].reverse()) await daemon.stop();
  }
}

