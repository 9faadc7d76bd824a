#!/usr/bin/env bash
# Bootstraps a cluster from this repository: installs the GitOps controller (Argo CD), registers the config
# repository, and applies the cluster's root Application. Everything else is then synced from Git, in waves.
#
#   ./bootstrap.sh upc-dev            # kubectl context must point at the upc-dev cluster
#   ./bootstrap.sh upc-prod
#
# Requires kubectl and helm. Reads the deploy key for https://git.forteapps.net/Forte/launchpad from
# private/launchpad-deploy-key (Git-ignored) when the repository is private.
set -euo pipefail

ARGOCD_CHART_VERSION="8.3.0"   # argo-cd chart from https://argoproj.github.io/argo-helm
CONFIG_REPO="https://git.forteapps.net/Forte/launchpad"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  echo "usage: $0 <cluster>   (one of: $(ls "$here"/_app-of-apps-*.yaml | sed 's/.*_app-of-apps-\(.*\)\.yaml/\1/' | tr '\n' ' '))" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
cluster="$1"
root_app="$here/_app-of-apps-$cluster.yaml"
[[ -f "$root_app" ]] || { echo "no root Application for cluster '$cluster' ($root_app)" >&2; usage; }

for tool in kubectl helm; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

context="$(kubectl config current-context)"
echo "Bootstrapping cluster '$cluster' through kubectl context '$context'."
if [[ "$context" != *"$cluster"* ]]; then
  read -r -p "The context name does not mention '$cluster'. Continue? [y/N] " answer
  [[ "$answer" == "y" ]] || exit 1
fi

echo "1/3 Installing Argo CD $ARGOCD_CHART_VERSION into namespace argocd"
helm upgrade --install argocd argo-cd \
  --repo https://argoproj.github.io/argo-helm --version "$ARGOCD_CHART_VERSION" \
  --namespace argocd --create-namespace --wait \
  --set 'configs.cm.timeout\.reconciliation=60s' \
  --set-string 'configs.cm.resource\.customizations\.health\.argoproj\.io_Application=hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end
end
return hs'

echo "2/3 Registering the config repository"
key="$here/private/launchpad-deploy-key"
if [[ -f "$key" ]]; then
  kubectl -n argocd create secret generic launchpad-repo \
    --from-literal=type=git --from-literal=url="$CONFIG_REPO" --from-file=sshPrivateKey="$key" \
    --dry-run=client -o yaml |
    kubectl label --local -f - argocd.argoproj.io/secret-type=repository -o yaml |
    kubectl apply -f -
else
  echo "   no private/launchpad-deploy-key: assuming $CONFIG_REPO is readable anonymously"
fi

echo "3/3 Applying the root Application $(basename "$root_app")"
kubectl apply -n argocd -f "$root_app"

cat <<DONE

Done. Argo CD now syncs infra/overlays/$cluster in waves:
  -1 namespaces   0 kyverno, cert-manager, sealed-secrets   1 infrastructure, policies, secrets   2 enterprise-apps
Watch it with:  kubectl -n argocd get applications -w
Next: fetch this cluster's sealing certificate for new secrets:
  kubeseal --fetch-cert > pub-cert-$cluster.pem
DONE
