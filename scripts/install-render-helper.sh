#!/usr/bin/env bash
# Builds Launchpad's long-lived renderer (tools/render-helper) with the same helm module version and link-time flags
# as scripts/install-tools.sh builds helm, so its output is byte-identical to that helm's. The binary is cached under
# $LAUNCHPAD_TOOLS_DIR (default $HOME/.cache/launchpad/tools/render-helper-<helm>-k8s<kube>-<source hash>/), so a
# change to the helper's sources or the pins builds a new one and an unchanged tree returns at once.
# Prints RENDER_HELPER=<path>.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
HELM_KUBE_VERSION="${HELM_KUBE_VERSION:-1.35}"
TOOLS_DIR="${LAUNCHPAD_TOOLS_DIR:-$HOME/.cache/launchpad/tools}"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools/render-helper" && pwd)"

command -v go >/dev/null || { echo "install-render-helper: 'go' is required (install Go >= 1.25)" >&2; exit 1; }
pinned="$(cd "$SRC" && go list -m -f "{{.Version}}" helm.sh/helm/v3)"
if [ "$pinned" != "$HELM_VERSION" ]; then
  echo "install-render-helper: tools/render-helper/go.mod pins helm $pinned but install-tools builds $HELM_VERSION; update the go.mod (go get helm.sh/helm/v3@$HELM_VERSION && go mod tidy)" >&2
  exit 1
fi

hash="$(cd "$SRC" && cat go.mod go.sum ./*.go | { cat; echo "$HELM_VERSION $HELM_KUBE_VERSION"; } | sha256sum | cut -c1-12)"
dir="$TOOLS_DIR/render-helper-$HELM_VERSION-k8s$HELM_KUBE_VERSION-$hash"
if [ -x "$dir/render-helper" ]; then
  echo "RENDER_HELPER=$dir/render-helper"
  exit 0
fi

export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0
helm_k8s_flags() { # package → -X flags for its k8sVersionMajor/Minor, exactly as install-tools.sh sets them for helm
  echo "-X helm.sh/helm/v3/$1.k8sVersionMajor=${HELM_KUBE_VERSION%%.*} -X helm.sh/helm/v3/$1.k8sVersionMinor=${HELM_KUBE_VERSION#*.}"
}
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean $(helm_k8s_flags pkg/chartutil) $(helm_k8s_flags pkg/lint/rules)"

echo "install-render-helper: building the render helper against helm $HELM_VERSION (first time only)" >&2
mkdir -p "$dir.partial"
(cd "$SRC" && go build -ldflags "$ldflags" -o "$dir.partial/render-helper" .) >&2
rm -rf "$dir" && mv "$dir.partial" "$dir"
echo "RENDER_HELPER=$dir/render-helper"
