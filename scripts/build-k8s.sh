#!/usr/bin/env bash
# Builds the Kubernetes control plane Launchpad's integration tests and `launchpad dev cluster` run:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (tools/k8s), etcd (tools/k8s/etcd) and
# kwok (tools/k8s/kwok), all from the Go module proxy with the versions pinned in those go.mod/go.sum files.
#
# Installs them side by side (the layout controller-runtime's envtest expects) into
#   ${LAUNCHPAD_K8S_BIN_DIR:-$HOME/.cache/launchpad/k8s-bin}/<version>/
# and does nothing when they are already there. When KUBEBUILDER_ASSETS names an existing folder, that folder is
# used instead and nothing is built. Prints the folder on stdout; progress goes to stderr.
# A cold build (empty Go caches) takes about 7 minutes on 2 idle cores and leaves ~3.7 GB of Go build cache,
# ~1.1 GB of modules and 400 MB of binaries; the binaries are byte-for-byte reproducible. Later runs return at once.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/tools/k8s"
# Keep in step with tools/k8s/go.mod and KUBERNETES_VERSION in src/local/control-plane/binaries.ts.
K8S_VERSION="1.35.4"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

log() { echo "build-k8s: $*" >&2; }

has_all() { # dir
  local name
  for name in "${BINARIES[@]}"; do [ -x "$1/$name" ] || return 1; done
}

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  if [ -d "$KUBEBUILDER_ASSETS" ]; then
    has_all "$KUBEBUILDER_ASSETS" || log "warning: KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks some of: ${BINARIES[*]} (tier 2 needs all)"
    echo "$KUBEBUILDER_ASSETS"
    exit 0
  fi
  log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS is not a folder; building into the cache instead"
fi

DEST="${LAUNCHPAD_K8S_BIN_DIR:-$HOME/.cache/launchpad/k8s-bin}/$K8S_VERSION"
if has_all "$DEST"; then
  echo "$DEST"
  exit 0
fi

command -v go >/dev/null || { log "'go' is required to build the control plane (install Go >= 1.26)"; exit 1; }
grep -q "k8s.io/kubernetes v$K8S_VERSION" "$TOOLS/go.mod" \
  || { log "tools/k8s/go.mod does not pin k8s.io/kubernetes v$K8S_VERSION; update K8S_VERSION here"; exit 1; }

export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false -trimpath -mod=readonly"
PARTIAL="$DEST.partial"
rm -rf "$PARTIAL"
mkdir -p "$PARTIAL"
started=$(date +%s)

# /version must report the real release: Helm, kubectl and the apiserver's own compatibility checks read it.
minor="${K8S_VERSION#*.}"
minor="${minor%%.*}"
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_flags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

log "building Kubernetes v$K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl); first time only, slow"
(cd "$TOOLS" && go build -ldflags "-s -w$version_flags" -o "$PARTIAL/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)

log "building etcd"
(cd "$TOOLS/etcd" && go build -ldflags "-s -w" -o "$PARTIAL/etcd" go.etcd.io/etcd/server/v3)

log "building kwok"
(cd "$TOOLS/kwok" && go build -ldflags "-s -w" -o "$PARTIAL/kwok" sigs.k8s.io/kwok/cmd/kwok)

has_all "$PARTIAL" || { log "build finished but binaries are missing in $PARTIAL"; exit 1; }
rm -rf "$DEST"
mv "$PARTIAL" "$DEST"
log "installed into $DEST in $(($(date +%s) - started)) s ($(du -sh "$DEST" | cut -f1))"
echo "$DEST"
