#!/usr/bin/env bash
# The README's main job on a fresh machine: install what Launchpad needs (npm packages; helm, kustomize and the
# local Kubernetes binaries built once from the Go module proxy into ~/.cache/launchpad — 10–20 minutes the first
# time on 2 cores, seconds afterwards), build, then `launchpad up`: a local Kubernetes, the controller and the
# example platform's upc-dev tree, kept running until Ctrl-C. Arguments go to `launchpad up` (e.g. --reset).
# Where ../shared/charts (a Helm repository folder of the example's upstream charts) exists beside this checkout,
# `launchpad up` uses examples/platform/launchpad.upstream.yaml, so the infra applications are installed too.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-tools.sh >/dev/null
command -v openssl >/dev/null || { apt-get update -qq && apt-get install -y -qq openssl >/dev/null; } # local certificates
echo "== local Kubernetes binaries (built once into ~/.cache/launchpad/k8s-bin)"
bash scripts/build-k8s.sh >/dev/null
npm run --silent build
exec node bin/launchpad.js up "$@"
