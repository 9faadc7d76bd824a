#!/usr/bin/env bash
# Installs a pinned OCI registry (CNCF distribution) for the OCI Helm chart tests: built from the Go module proxy
# into $LAUNCHPAD_TOOLS_DIR (default: $HOME/.cache/launchpad/tools/registry-<version>/) and skipped when present.
# Prints REGISTRY=<path of the binary>. Tests that need it skip themselves when it is absent.
set -euo pipefail

REGISTRY_VERSION="${REGISTRY_VERSION:-v3.0.0}"
TOOLS_DIR="${LAUNCHPAD_TOOLS_DIR:-$HOME/.cache/launchpad/tools}"
dir="$TOOLS_DIR/registry-$REGISTRY_VERSION"

if [ -x "$dir/registry" ]; then
  echo "REGISTRY=$dir/registry"
  exit 0
fi
command -v go >/dev/null || { echo "install-registry: 'go' is required to build the OCI registry (install Go >= 1.24)" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0
rm -rf "$dir.partial" && mkdir -p "$dir.partial"
echo "install-registry: building distribution registry $REGISTRY_VERSION (first time only, takes a few minutes)" >&2
GOBIN="$dir.partial" go install -ldflags "-s -w" "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION" >&2
rm -rf "$dir" && mv "$dir.partial" "$dir"
echo "REGISTRY=$dir/registry"
