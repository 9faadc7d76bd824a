#!/usr/bin/env bash
# Installs the pinned helm and kustomize binaries that Launchpad's tests and the README example use.
# They are built from the Go module proxy (the only source of binaries this project relies on) into
# $LAUNCHPAD_TOOLS_DIR (default: $HOME/.cache/launchpad/tools/<name>-<version>/) and skipped when present.
# Prints the directory of each binary, one per line, as NAME=PATH.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.7.1}"
TOOLS_DIR="${LAUNCHPAD_TOOLS_DIR:-$HOME/.cache/launchpad/tools}"

command -v go >/dev/null || { echo "install-tools: 'go' is required to build helm and kustomize (install Go >= 1.24)" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0

build() { # name version package ldflags
  local name=$1 version=$2 pkg=$3 ldflags=$4
  local dir="$TOOLS_DIR/$name-$version"
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

build helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm \
  "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
build kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 "-s -w"
