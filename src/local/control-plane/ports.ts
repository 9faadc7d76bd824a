/**
 * Free TCP ports on 127.0.0.1. The kernel picks a free port for a listener on port 0; we close it and hand the
 * number out. Ports handed out by this process are remembered so two instances started side by side never get the
 * same one; another process could still take it in between, which the control plane treats as a failed start.
 */
import { createServer } from 'node:net';

const handedOut = new Set<number>();

function askKernel(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** One free loopback port that this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await askKernel();
    if (port !== 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('could not find a free port on 127.0.0.1 after 50 tries — is the ephemeral port range exhausted?');
}

/** `count` distinct free loopback ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => {
      resolve(false);
    });
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** Whether every port can be bound on 127.0.0.1 now (a persistent control plane reuses its ports when it can). */
export async function allFree(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    if (!Number.isInteger(port) || port <= 0 || !(await isFree(port))) return false;
  }
  for (const port of ports) handedOut.add(port);
  return true;
}
