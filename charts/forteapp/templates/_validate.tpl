{{/*
Checks the schema cannot express with a clear message. Included at the top of deployment.yaml, so any render
(helm template, Argo CD, Launchpad) stops with one of these sentences instead of producing a broken app.
*/}}
{{- define "forteapp.validate" -}}
{{- $image := .Values.app.image -}}
{{- $repository := $image.repository | toString -}}
{{- $tag := $image.tag | toString -}}
{{- if not $repository -}}
{{- fail "forteapp: app.image.repository is required, e.g. ghcr.io/fortedigital/10x" -}}
{{- end -}}
{{- if or (contains "@" $repository) (contains ":" (last (splitList "/" $repository))) -}}
{{- fail (printf "forteapp: app.image.repository %q contains a tag or digest; put the version in app.image.tag" $repository) -}}
{{- end -}}
{{- if not $tag -}}
{{- fail "forteapp: app.image.tag is empty; pin an exact version such as 2.0.4 (an empty tag means \"latest\", which the platform forbids)" -}}
{{- end -}}
{{- if eq (lower $tag) "latest" -}}
{{- fail "forteapp: app.image.tag must not be \"latest\": a moving tag cannot be rolled back or audited and a new push never triggers a sync; pin an exact version such as 2.0.4" -}}
{{- end -}}
{{- range .Values.app.extraEnv -}}
{{- if and (eq (.name | toString) "PORT") (hasKey . "value") (ne (.value | toString) ($.Values.app.port | toString)) -}}
{{- fail (printf "forteapp: app.extraEnv sets PORT=%v but app.port is %v; set app.port to the port the app listens on" .value $.Values.app.port) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) -}}
{{- fail "forteapp: ingress.host is required when ingress.enabled is true, e.g. mcp10x.forteapps.net" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.service.enabled) -}}
{{- fail "forteapp: ingress.enabled needs service.enabled: the IngressRoute routes to the Service" -}}
{{- end -}}
{{- if .Values.auth.enabled -}}
{{- if and (eq .Values.auth.mode "token") (not .Values.auth.existingSecret) (empty .Values.auth.token.tokens) -}}
{{- fail "forteapp: auth.mode token needs auth.existingSecret (a Secret with key \"tokens\", e.g. from a SealedSecret) or auth.token.tokens" -}}
{{- end -}}
{{- if eq .Values.auth.mode "oidc" -}}
{{- if or (not .Values.auth.oidc.issuerUrl) (not .Values.auth.oidc.clientId) (not .Values.auth.existingSecret) -}}
{{- fail "forteapp: auth.mode oidc needs auth.oidc.issuerUrl, auth.oidc.clientId and auth.existingSecret (keys client-secret and cookie-secret)" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail (printf "forteapp: autoscaling.minReplicas (%v) is greater than autoscaling.maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) -}}
{{- end -}}
{{- if and .Values.database.enabled (not .Values.database.credentialsSecret) -}}
{{- fail "forteapp: database.enabled needs database.credentialsSecret, an existing Secret (e.g. from a SealedSecret) with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB" -}}
{{- end -}}
{{- end -}}
