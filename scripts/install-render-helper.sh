#!/usr/bin/env bash
# Builds Launchpad's long-lived renderers (ADR 30): tools/render-helper links helm's library with the same module
# version and link-time flags as scripts/install-tools.sh builds helm; tools/render-helper-kustomize links kustomize's
# API with exactly the module versions of the kustomize binary it builds. Same code, same versions: byte-identical
# output. Each binary is cached under $LAUNCHPAD_TOOLS_DIR (default $HOME/.cache/launchpad/tools/):
#   render-helper-<helm>-k8s<kube>-<source hash>/render-helper
#   render-kustomize-<kustomize>-<source hash>/render-helper-kustomize
# so a change to the sources or the pins builds a new one and an unchanged tree returns at once. The two are built
# independently: one failing leaves the other usable. Go's build and module caches stay under $HOME.
# Prints RENDER_HELPER=<path> and RENDER_HELPER_KUSTOMIZE=<path> for what is built; exits 1 if either failed.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
HELM_KUBE_VERSION="${HELM_KUBE_VERSION:-1.35}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.7.1}"
TOOLS_DIR="${LAUNCHPAD_TOOLS_DIR:-$HOME/.cache/launchpad/tools}"
TOOLS_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd)"
PROTOCOL="$TOOLS_SRC/render-helper/protocol"

command -v go >/dev/null || { echo "install-render-helper: 'go' is required (install Go >= 1.25)" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0

source_hash() { # folder [extra text] → 12 hex digits over its module files, its Go sources, the shared protocol and the pins
  (cd "$1" && cat go.mod go.sum ./*.go "$PROTOCOL/go.mod" "$PROTOCOL"/*.go | { cat; echo "${2:-}"; } | sha256sum | cut -c1-12)
}

build_helper() { # variable source-folder module pinned-version binary-folder binary-name ldflags
  local variable=$1 src=$2 module=$3 version=$4 dir=$5 name=$6 ldflags=$7 pinned
  pinned="$(cd "$src" && go list -m -f "{{.Version}}" "$module")"
  if [ "$pinned" != "$version" ]; then
    echo "install-render-helper: $src/go.mod pins $module $pinned but install-tools builds $version; update the go.mod (go get $module@$version && go mod tidy)" >&2
    return 1
  fi
  if [ ! -x "$dir/$name" ]; then
    echo "install-render-helper: building $name against $module $version (first time only)" >&2
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    (cd "$src" && go build -ldflags "$ldflags" -o "$dir.partial/$name" .) >&2 || return 1
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  echo "$variable=$dir/$name"
}

helm_k8s_flags() { # package → -X flags for its k8sVersionMajor/Minor, exactly as install-tools.sh sets them for helm
  echo "-X helm.sh/helm/v3/$1.k8sVersionMajor=${HELM_KUBE_VERSION%%.*} -X helm.sh/helm/v3/$1.k8sVersionMinor=${HELM_KUBE_VERSION#*.}"
}
helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean $(helm_k8s_flags pkg/chartutil) $(helm_k8s_flags pkg/lint/rules)"

status=0
helm_src="$TOOLS_SRC/render-helper"
build_helper RENDER_HELPER "$helm_src" helm.sh/helm/v3 "$HELM_VERSION" \
  "$TOOLS_DIR/render-helper-$HELM_VERSION-k8s$HELM_KUBE_VERSION-$(source_hash "$helm_src" "$HELM_VERSION $HELM_KUBE_VERSION")" \
  render-helper "$helm_ldflags" || status=1
# kustomize is built with "-s -w" and nothing else (install-tools.sh); its go.mod's go line is kept in ours.
kustomize_src="$TOOLS_SRC/render-helper-kustomize"
build_helper RENDER_HELPER_KUSTOMIZE "$kustomize_src" sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" \
  "$TOOLS_DIR/render-kustomize-$KUSTOMIZE_VERSION-$(source_hash "$kustomize_src" "$KUSTOMIZE_VERSION")" \
  render-helper-kustomize "-s -w" || status=1
exit $status
