#!/usr/bin/env bash
# Installs Bitnami's kubeseal and sealed-secrets controller at a pinned release for the Sealed Secrets interop tests
# and `npm run bench:seal`: built from the Go module proxy into $LAUNCHPAD_TOOLS_DIR (default:
# $HOME/.cache/launchpad/tools/kubeseal-<version>/) and skipped when present. Prints KUBESEAL=<path> and
# SEALED_SECRETS_CONTROLLER=<path>.
# v0.27.1 is the newest release the proxy serves under github.com/bitnami-labs/sealed-secrets (v0.40.0 declares the
# module path github.com/bitnami/sealed-secrets, so `go install` refuses it). The sealing format has not changed since.
set -euo pipefail

KUBESEAL_VERSION="${KUBESEAL_VERSION:-v0.27.1}"
TOOLS_DIR="${LAUNCHPAD_TOOLS_DIR:-$HOME/.cache/launchpad/tools}"
dir="$TOOLS_DIR/kubeseal-$KUBESEAL_VERSION"

if [ -x "$dir/kubeseal" ] && [ -x "$dir/controller" ]; then
  echo "KUBESEAL=$dir/kubeseal"
  echo "SEALED_SECRETS_CONTROLLER=$dir/controller"
  exit 0
fi
command -v go >/dev/null || { echo "install-kubeseal: 'go' is required to build kubeseal (install Go >= 1.24)" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0
rm -rf "$dir.partial" && mkdir -p "$dir.partial"
echo "install-kubeseal: building kubeseal and the controller $KUBESEAL_VERSION (first time only, takes a few minutes)" >&2
for cmd in kubeseal controller; do
  GOBIN="$dir.partial" go install -ldflags "-s -w -X main.VERSION=$KUBESEAL_VERSION" "github.com/bitnami-labs/sealed-secrets/cmd/$cmd@$KUBESEAL_VERSION" >&2
done
rm -rf "$dir" && mv "$dir.partial" "$dir"
echo "KUBESEAL=$dir/kubeseal"
echo "SEALED_SECRETS_CONTROLLER=$dir/controller"
