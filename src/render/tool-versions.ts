/**
 * The versions of helm, kustomize and jsonnet in use, part of every render-cache key: a tool upgrade can change output, so it
 * must invalidate cached renders. Asked once per process.
 */
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';

let cached: Promise<string> | undefined;

async function versionOf(tool: 'helm' | 'kustomize' | 'jsonnet'): Promise<string> {
  try {
    const args = tool === 'helm' ? ['version', '--short'] : tool === 'jsonnet' ? ['--version'] : ['version'];
    return (await runProcess(findBinary(tool), args, { timeoutMs: 30_000 })).stdout.trim();
  } catch {
    return `${tool}: unavailable`;
  }
}

export function toolVersions(): Promise<string> {
  cached ??= Promise.all([versionOf('helm'), versionOf('kustomize'), versionOf('jsonnet')]).then((versions) => versions.join(' '));
  return cached;
}
