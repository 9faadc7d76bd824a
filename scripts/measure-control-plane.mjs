#!/usr/bin/env node
// Measures the test control plane: warm start time of tier 1 and tier 2 and the memory (RSS) of each component
// once ready and after a small workload settles. Needs `npm run build` and scripts/build-k8s.sh first.
// Usage: node scripts/measure-control-plane.mjs [runs per tier, default 3]
import { readFileSync } from 'node:fs';
import { KUBERNETES_VERSION, startControlPlane } from '../dist/src/testing/index.js';

const runs = Number(process.argv[2] ?? 3);

function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function memory(plane) {
  const parts = Object.entries(plane.pids).map(([name, pid]) => [name, rssMiB(pid)]);
  const total = parts.reduce((sum, [, mib]) => sum + mib, 0);
  return { total, text: parts.map(([name, mib]) => `${name} ${mib.toFixed(0)}`).join(', ') };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`Kubernetes v${KUBERNETES_VERSION} test control plane; ${runs} warm start(s) per tier`);
for (const tier of [1, 2]) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const plane = await startControlPlane({ tier });
    times.push(plane.startMs);
    if (run === runs - 1) {
      const ready = memory(plane);
      await new Promise((resolve) => setTimeout(resolve, 10_000)); // let caches and controllers settle
      const settled = memory(plane);
      console.log(`tier ${tier}: RSS when ready ${ready.total.toFixed(0)} MiB (${ready.text})`);
      console.log(`tier ${tier}: RSS 10 s later ${settled.total.toFixed(0)} MiB (${settled.text})`);
    }
    await plane.stop();
  }
  console.log(`tier ${tier}: start ${times.map((ms) => (ms / 1000).toFixed(1)).join(' s, ')} s (median ${(median(times) / 1000).toFixed(1)} s)`);
}
