/**
 * The versions of helm and kustomize in use, part of every render-cache key: a tool upgrade can change output, so it
 * must invalidate cached renders. Asked once per process.
 */
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';

let cached: Promise<string> | undefined;

async function versionOf(tool: 'helm' | 'kustomize'): Promise<string> {
  try {
    const args = tool === 'helm' ? ['version', '--short'] : ['version'];
    return (await runProcess(findBinary(tool), args, { timeoutMs: 30_000 })).stdout.trim();
  } catch {
    return `${tool}: unavailable`;
  }
}

export function toolVersions(): Promise<string> {
  cached ??= Promise.all([versionOf('helm'), versionOf('kustomize')]).then((versions) => versions.join(' '));
  return cached;
}
