#!/usr/bin/env bash
# Sets Launchpad up on a fresh machine and runs its main job on the bundled example platform: the application tree
# of both clusters (upc-dev, upc-prod) and their full offline render. Re-running skips what is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-tools.sh >/dev/null
npm run --silent build

out="${LAUNCHPAD_EXAMPLE_OUT:-$PWD/.cache/example-render}"
status=0
for cluster in upc-dev upc-prod; do
  root="examples/platform/launchpad/_app-of-apps-$cluster.yaml"
  echo "== launchpad tree $root --offline"
  node bin/launchpad.js tree "$root" --offline || status=$?
  echo
  echo "== launchpad render $root --offline --out $out/$cluster"
  node bin/launchpad.js render "$root" --offline --out "$out/$cluster" 2>/dev/null || status=$?
  echo "wrote $(find "$out/$cluster" -name '*.yaml' | wc -l) resource files under $out/$cluster"
  echo
done
echo "Compare the clusters: diff -r $out/upc-dev $out/upc-prod"
exit "$status"
