#!/usr/bin/env bash
# Installs the pinned helm and kustomize binaries that Launchpad's tests and the README example use.
# They are built from the Go module proxy (the only source of binaries this project relies on) into
# $LAUNCHPAD_TOOLS_DIR (default: $HOME/.cache/launchpad/tools/<name>-<version>/) and skipped when present.
# Prints the directory of each binary, one per line, as NAME=PATH.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.7.1}"
JSONNET_VERSION="${JSONNET_VERSION:-v0.22.0}" # go-jsonnet, the implementation Argo CD links
TOOLS_DIR="${LAUNCHPAD_TOOLS_DIR:-$HOME/.cache/launchpad/tools}"

command -v go >/dev/null || { echo "install-tools: 'go' is required to build helm and kustomize (install Go >= 1.24)" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0

build() { # name version package ldflags [folder-suffix]
  local name=$1 version=$2 pkg=$3 ldflags=$4
  local dir="$TOOLS_DIR/$name-$version${5:-}"
  if [ -x "$dir/$name" ]; then
    echo "$name=$dir/$name"
    return
  fi
  mkdir -p "$dir.partial"
  echo "install-tools: building $name $version (first time only, takes a few minutes)" >&2
  GOBIN="$dir.partial" go install -ldflags "$ldflags" "$pkg@$version" >&2
  rm -rf "$dir" && mv "$dir.partial" "$dir"
  echo "$name=$dir/$name"
}

# helm's default capabilities (what .Capabilities.KubeVersion is without --kube-version) are set at link time; unset,
# they say v1.20.0. Pin them as helm's own release builds do: to the Kubernetes its client-go is (v0.35 → 1.35 for
# v3.20). The folder name carries the pin, so a cached build without it is rebuilt and the newest folder wins.
HELM_KUBE_VERSION="${HELM_KUBE_VERSION:-1.35}"
helm_k8s_flags() { # package → -X flags for its k8sVersionMajor/Minor
  echo "-X helm.sh/helm/v3/$1.k8sVersionMajor=${HELM_KUBE_VERSION%%.*} -X helm.sh/helm/v3/$1.k8sVersionMinor=${HELM_KUBE_VERSION#*.}"
}
build helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm \
  "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean $(helm_k8s_flags pkg/chartutil) $(helm_k8s_flags pkg/lint/rules)" \
  "-k8s$HELM_KUBE_VERSION"
build kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 "-s -w"
# jsonnet-deps (same module) lists every file a Jsonnet render imports: recorded inputs and the containment check.
build jsonnet "$JSONNET_VERSION" github.com/google/go-jsonnet/cmd/jsonnet "-s -w"
build jsonnet-deps "$JSONNET_VERSION" github.com/google/go-jsonnet/cmd/jsonnet-deps "-s -w"
# The long-lived render helpers (ADR 30) link the same helm and kustomize modules with the same flags; without them,
# the binaries render.
HELM_VERSION="$HELM_VERSION" HELM_KUBE_VERSION="$HELM_KUBE_VERSION" KUSTOMIZE_VERSION="$KUSTOMIZE_VERSION" LAUNCHPAD_TOOLS_DIR="$TOOLS_DIR" \
  bash "$(dirname "${BASH_SOURCE[0]}")/install-render-helper.sh" || echo "install-tools: a render helper could not be built; Launchpad renders with the helm and kustomize binaries for it" >&2
