#!/usr/bin/env bash
# Installs everything Launchpad's tests need, on a fresh machine, once (later runs skip what is present):
# npm packages, pinned helm + kustomize, an OCI registry for the OCI chart tests, and the Kubernetes control plane
# (kube-apiserver, etcd, controllers, kwok) — all built from the Go module proxy into ~/.cache/launchpad.
# The first run takes 10–20 minutes on 2 cores (mostly the control plane); `npm test` then runs everything.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== node $(node --version), npm $(npm --version), go $(go version | awk '{print $3}')"
npm ci --no-audit --no-fund

echo "== helm and kustomize, and their long-lived render helpers (pinned; cached under \$HOME/.cache/launchpad/tools)"
bash scripts/install-tools.sh
echo "== OCI registry for the OCI chart tests (cached under \$HOME/.cache/launchpad/tools)"
bash scripts/install-registry.sh
echo "== kubeseal and the sealed-secrets controller for the Sealed Secrets interop tests (cached the same way)"
bash scripts/install-kubeseal.sh

echo "== Kubernetes control plane for the integration tests (cached under \$HOME/.cache/launchpad/k8s-bin)"
command -v openssl >/dev/null || { apt-get update -qq && apt-get install -y -qq openssl >/dev/null; } # test certificates
K8S_BIN="$(bash scripts/build-k8s.sh)"
"$K8S_BIN/kube-apiserver" --version

echo "== Chromium (Debian's package) for the browser tests of the UI (test/integration/ui) and npm run bench:ui"
if ! command -v chromium >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Not fatal: without Chromium the browser tests skip with a message saying so; everything else still runs.
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null; } || echo "setup: could not install chromium; the browser tests will be skipped" >&2
fi
chromium --version || true
