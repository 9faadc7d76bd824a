{{/*
Names. The release name is the app's name: Argo CD and Launchpad set it to the Application name, so objects
are called mcp10x, mcp10x-tls, mcp10x-db rather than mcp10x-forteapp. Truncated so suffixes stay under 63.
*/}}
{{- define "forteapp.name" -}}
{{- .Values.nameOverride | default .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "forteapp.fullname" -}}
{{- .Values.fullnameOverride | default .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "forteapp.namespace" -}}
{{- .Values.namespace.name | default .Release.Namespace -}}
{{- end -}}

{{- define "forteapp.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Labels on every object. The component ("app" or "database") is added per object. The version is deliberately not
here: CI bumps the image tag on every release, and a tag in every object's labels would make each bump change
every object (noisy diffs, needless writes). Only the workload that runs the version carries it (forteapp.versionLabel).
*/}}
{{- define "forteapp.labels" -}}
helm.sh/chart: {{ include "forteapp.chart" . }}
app.kubernetes.io/name: {{ include "forteapp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: {{ include "forteapp.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The running version, on the app Deployment and its Pods only. */}}
{{- define "forteapp.versionLabel" -}}
app.kubernetes.io/version: {{ .Values.app.image.tag | toString | trunc 63 | trimSuffix "-" | quote }}
{{- end -}}

{{- define "forteapp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "forteapp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: app
{{- end -}}

{{- define "forteapp.databaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "forteapp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database
{{- end -}}

{{- define "forteapp.image" -}}
{{- printf "%s:%s" .Values.app.image.repository (.Values.app.image.tag | toString) -}}
{{- end -}}

{{- define "forteapp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "forteapp.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "forteapp.tlsSecretName" -}}
{{- .Values.ingress.tls.secretName | default (printf "%s-tls" (include "forteapp.fullname" .)) -}}
{{- end -}}

{{- define "forteapp.databaseName" -}}
{{- printf "%s-db" (include "forteapp.fullname" .) -}}
{{- end -}}

{{/* The Secret the auth sidecar reads: an existing (sealed) one, or the chart-managed token Secret. */}}
{{- define "forteapp.authSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-auth-tokens" (include "forteapp.fullname" .)) -}}
{{- end -}}

{{/* True when the chart itself renders the token Secret. */}}
{{- define "forteapp.authCreatesSecret" -}}
{{- if and .Values.auth.enabled (eq .Values.auth.mode "token") (not .Values.auth.existingSecret) -}}true{{- end -}}
{{- end -}}

{{- define "forteapp.replicasAtLeast" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.minReplicas }}{{- else -}}{{ .Values.app.replicaCount }}{{- end -}}
{{- end -}}

{{/*
Pod annotations read by the Kyverno ClusterPolicy auth-sidecar-injector (cluster-resources/policies). Port name
"auth-proxy" (4180) is the sidecar's; the Service targets it when auth is on.
*/}}
{{- define "forteapp.authAnnotations" -}}
{{- if .Values.auth.enabled }}
policies.forteapps.io/auth: "true"
policies.forteapps.io/auth-mode: {{ .Values.auth.mode | quote }}
policies.forteapps.io/auth-token-secret-name: {{ include "forteapp.authSecretName" . | quote }}
policies.forteapps.io/auth-upstream-port: {{ .Values.app.port | quote }}
{{- if eq .Values.auth.mode "oidc" }}
policies.forteapps.io/auth-oidc-issuer-url: {{ .Values.auth.oidc.issuerUrl | quote }}
policies.forteapps.io/auth-oidc-client-id: {{ .Values.auth.oidc.clientId | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Probe handler: HTTP GET on app.probes.path when set, otherwise a TCP check on the app port. */}}
{{- define "forteapp.probeHandler" -}}
{{- if .Values.app.probes.path -}}
httpGet:
  path: {{ .Values.app.probes.path }}
  port: http
{{- else -}}
tcpSocket:
  port: http
{{- end -}}
{{- end -}}

{{/* Traefik rule: the host, narrowed to the path prefix unless it is "/". */}}
{{- define "forteapp.routeMatch" -}}
{{- if or (not .Values.ingress.path) (eq .Values.ingress.path "/") -}}
{{- printf "Host(`%s`)" .Values.ingress.host -}}
{{- else -}}
{{- printf "Host(`%s`) && PathPrefix(`%s`)" .Values.ingress.host .Values.ingress.path -}}
{{- end -}}
{{- end -}}

{{/*
Pod annotations as YAML: a config checksum (so a config change rolls the pods), the auth annotations, then the
user's app.podAnnotations, which cannot override the first two.
*/}}
{{- define "forteapp.podAnnotations" -}}
{{- $annotations := dict -}}
{{- if .Values.config.enabled -}}
{{- $_ := set $annotations "checksum/config" (include (print .Template.BasePath "/configmap.yaml") . | sha256sum) -}}
{{- end -}}
{{- $annotations = merge $annotations (include "forteapp.authAnnotations" . | fromYaml) (.Values.app.podAnnotations | default dict) -}}
{{- with $annotations }}{{ toYaml . }}{{ end -}}
{{- end -}}
