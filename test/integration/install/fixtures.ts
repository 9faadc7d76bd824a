/** Applications and AppProjects with every documented field, as Argo CD accepts them, for the CRD tests. */
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/model/resource.js';

/** A multi-source Application that uses every option of every renderer, the whole syncPolicy, ignoreDifferences and info. */
export const MULTI_SOURCE_APPLICATION = parse(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
  labels: { team: shop }
  annotations: { argocd.argoproj.io/sync-wave: "2", notifications.argoproj.io/subscribe.on-sync-failed.slack: "" }
spec:
  project: shop
  sources:
    - repoURL: https://charts.example.com/stable
      chart: shop
      targetRevision: 1.2.*
      helm:
        releaseName: shop
        valueFiles: [$values/shop/values.yaml, $values/shop/upc-dev.yaml]
        ignoreMissingValueFiles: true
        values: |
          replicas: 2
          image: { tag: v1.2.3 }
        valuesObject: { image: { tag: v1.2.4 }, resources: { limits: { memory: 256Mi } }, list: [1, two, true] }
        parameters: [{ name: image.tag, value: v1.2.5, forceString: true }, { name: replicas, value: "3" }]
        fileParameters: [{ name: config, path: files/config.json }]
        passCredentials: false
        skipCrds: true
        skipSchemaValidation: true
        skipTests: true
        version: v3
        kubeVersion: 1.35.0
        apiVersions: [monitoring.coreos.com/v1, traefik.io/v1alpha1/IngressRoute]
        namespace: shop
    - repoURL: git@github.com:org/values.git
      targetRevision: main
      ref: values
    - repoURL: https://git.example.com/org/config
      path: overlays/dev
      targetRevision: HEAD
      name: config
      kustomize:
        namePrefix: dev-
        nameSuffix: -v1
        images: [ghcr.io/org/shop:v1.2.3, worker=ghcr.io/org/worker@sha256:0123456789abcdef]
        replicas: [{ name: shop, count: 3 }, { name: worker, count: "2" }]
        commonLabels: { env: dev }
        commonAnnotations: { owner: "\${ARGOCD_APP_NAME}" }
        commonAnnotationsEnvsubst: true
        forceCommonLabels: true
        forceCommonAnnotations: true
        labelWithoutSelector: true
        namespace: shop
        version: v5.7.1
        components: [../../components/monitoring]
        ignoreMissingComponents: true
        kubeVersion: 1.35.0
        apiVersions: [monitoring.coreos.com/v1]
        patches:
          - target: { kind: Deployment, name: shop }
            patch: |
              - op: replace
                path: /spec/replicas
                value: 3
    - repoURL: https://git.example.com/org/manifests
      path: raw
      targetRevision: v1.0.0
      directory:
        recurse: true
        include: "{*.yaml,*.yml}"
        exclude: secret-*.yaml
        jsonnet:
          extVars: [{ name: env, value: dev }, { name: replicas, value: "3", code: true }]
          tlas: [{ name: cluster, value: upc-dev, code: false }]
          libs: [vendor]
    - repoURL: https://git.example.com/org/plugin
      path: cmp
      plugin:
        name: my-plugin
        env: [{ name: FOO, value: bar }]
        parameters: [{ name: p, string: s }, { name: list, array: [a, b] }, { name: map, map: { k: v } }]
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
  syncPolicy:
    automated: { prune: true, selfHeal: true, allowEmpty: false }
    syncOptions: [CreateNamespace=true, ServerSideApply=true, PrunePropagationPolicy=foreground, PruneLast=true, RespectIgnoreDifferences=true, ApplyOutOfSyncOnly=true]
    retry:
      limit: 5
      backoff: { duration: 5s, factor: 2, maxDuration: 3m }
    managedNamespaceMetadata:
      labels: { team: shop }
      annotations: { owner: shop-team }
  ignoreDifferences:
    - group: apps
      kind: Deployment
      name: shop
      namespace: shop
      jsonPointers: [/spec/replicas]
      jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")']
      managedFieldsManagers: [kube-controller-manager]
    - kind: Secret
      jsonPointers: [/data]
  info:
    - { name: url, value: https://shop.example.com }
    - { name: owner, value: shop-team }
  revisionHistoryLimit: 5
`) as KubeObject;

/** A single-source Helm Application addressed by cluster name, with the newer automated.enabled and retry.refresh. */
export const HELM_APPLICATION = parse(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: traefik
  namespace: argocd
spec:
  project: default
  source:
    repoURL: oci://ghcr.io/traefik/helm
    chart: traefik
    targetRevision: ">=37.0.0 <38.0.0"
    helm:
      valuesObject: { deployment: { replicas: 2 } }
  destination: { name: in-cluster, namespace: traefik }
  syncPolicy:
    automated: { enabled: true }
    retry: { limit: -1, refresh: true }
    syncOptions: [CreateNamespace=true]
`) as KubeObject;

/** An AppProject with every documented field. */
export const FULL_APP_PROJECT = parse(`
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: shop
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  description: The shop team's applications
  sourceRepos: ["https://git.example.com/org/*", git@github.com:org/values.git, https://charts.example.com/stable]
  sourceNamespaces: [shop-apps]
  destinations:
    - { server: https://kubernetes.default.svc, namespace: "shop-*" }
    - { name: in-cluster, namespace: shop }
  destinationServiceAccounts:
    - { server: https://kubernetes.default.svc, namespace: shop, defaultServiceAccount: shop-deployer }
  clusterResourceWhitelist: [{ group: "", kind: Namespace }]
  clusterResourceBlacklist: [{ group: rbac.authorization.k8s.io, kind: ClusterRole }]
  namespaceResourceWhitelist: [{ group: "*", kind: "*" }]
  namespaceResourceBlacklist: [{ group: "", kind: ResourceQuota }, { group: "", kind: LimitRange }]
  orphanedResources:
    warn: true
    ignore: [{ group: "", kind: ConfigMap, name: kube-root-ca.crt }]
  roles:
    - name: ci
      description: The CI pipeline may sync
      policies: ["p, proj:shop:ci, applications, sync, shop/*, allow"]
      groups: [org:ci]
      jwtTokens: [{ iat: 1700000000, exp: 1800000000, id: token-1 }]
  syncWindows:
    - kind: deny
      schedule: "0 22 * * *"
      duration: 8h
      timeZone: Europe/Oslo
      applications: ["*"]
      namespaces: [shop]
      clusters: [in-cluster]
      manualSync: true
      andOperator: false
      description: no syncs at night
  signatureKeys: [{ keyID: 4AEE18F83AFDEB23 }]
  permitOnlyProjectScopedClusters: false
`) as KubeObject;
