{{/*
Names and labels follow the `helm create` conventions that metrics-server's and prometheus-adapter's
charts use, so objects look the same as theirs in a cluster.
*/}}

{{- define "scaleplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "scaleplane.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "scaleplane.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "scaleplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "scaleplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "scaleplane.labels" -}}
{{- include "scaleplane.peerValues" . -}}
helm.sh/chart: {{ include "scaleplane.chart" . }}
{{ include "scaleplane.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "scaleplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "scaleplane.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "scaleplane.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the serving certificate (tls.crt, tls.key and, when known, ca.crt). */}}
{{- define "scaleplane.tlsSecretName" -}}
{{- if eq .Values.tls.mode "existingSecret" }}
{{- .Values.tls.existingSecret.name }}
{{- else }}
{{- printf "%s-tls" (include "scaleplane.fullname" .) }}
{{- end }}
{{- end }}

{{/* DNS names under which kube-apiserver reaches the Service (aggregator proxies to <svc>.<ns>.svc). */}}
{{- define "scaleplane.dnsNames" -}}
{{- $fullname := include "scaleplane.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- toJson (list $fullname (printf "%s.%s" $fullname $ns) (printf "%s.%s.svc" $fullname $ns) (printf "%s.%s.svc.%s" $fullname $ns .Values.tls.clusterDomain)) }}
{{- end }}

{{/*
Certificate material of tls.mode=generate, as JSON {ca, cert, key} (base64 PEM). Computed once per
render and cached on the root context, because the Secret and every APIService must carry the same
CA. An existing Secret with all three keys is reused, so `helm upgrade` does not rotate the
certificate (the lookup returns nothing under `helm template`, which then always generates).
*/}}
{{- define "scaleplane.generatedTLS" -}}
{{- if not (hasKey . "scaleplaneGeneratedTLS") }}
{{- $material := dict }}
{{- $previous := lookup "v1" "Secret" .Release.Namespace (include "scaleplane.tlsSecretName" .) }}
{{- $data := dig "data" (dict) $previous }}
{{- if and (hasKey $data "ca.crt") (hasKey $data "tls.crt") (hasKey $data "tls.key") }}
{{- $material = dict "ca" (index $data "ca.crt") "cert" (index $data "tls.crt") "key" (index $data "tls.key") }}
{{- else }}
{{- $days := int .Values.tls.generate.certDurationDays }}
{{- $ca := genCA (printf "%s-ca" (include "scaleplane.fullname" .)) $days }}
{{- $dnsNames := include "scaleplane.dnsNames" . | fromJsonArray }}
{{- $cert := genSignedCert (include "scaleplane.fullname" .) nil $dnsNames $days $ca }}
{{- $material = dict "ca" ($ca.Cert | b64enc) "cert" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc) }}
{{- end }}
{{- $_ := set . "scaleplaneGeneratedTLS" $material }}
{{- end }}
{{- toJson (get . "scaleplaneGeneratedTLS") }}
{{- end }}

{{/* Secret-mounted files: one entry per volume, used by the Deployment's volumes and mounts. */}}
{{- define "scaleplane.secretMounts" -}}
{{- $mounts := list }}
{{- if ne .Values.tls.mode "selfSigned" }}
{{- $mounts = append $mounts (dict "name" "serving-cert" "secret" (include "scaleplane.tlsSecretName" .) "path" "/var/run/scaleplane/serving-cert") }}
{{- end }}
{{- with .Values.kubelet.certificateAuthority.secretName }}
{{- $mounts = append $mounts (dict "name" "kubelet-ca" "secret" . "path" "/var/run/scaleplane/kubelet-ca") }}
{{- end }}
{{- with .Values.kubelet.clientCertificate.secretName }}
{{- $mounts = append $mounts (dict "name" "kubelet-client" "secret" . "path" "/var/run/scaleplane/kubelet-client") }}
{{- end }}
{{- if ne .Values.prometheus.auth.type "none" }}
{{- $mounts = append $mounts (dict "name" "prometheus-auth" "secret" .Values.prometheus.auth.secretName "path" "/var/run/scaleplane/prometheus-auth") }}
{{- end }}
{{- with .Values.prometheus.tls.caSecretName }}
{{- $mounts = append $mounts (dict "name" "prometheus-ca" "secret" . "path" "/var/run/scaleplane/prometheus-ca") }}
{{- end }}
{{- with .Values.prometheus.tls.clientCertSecretName }}
{{- $mounts = append $mounts (dict "name" "prometheus-client" "secret" . "path" "/var/run/scaleplane/prometheus-client") }}
{{- end }}
{{- toJson $mounts }}
{{- end }}

{{/* True (non-empty) when the chart should create a PodDisruptionBudget. */}}
{{- define "scaleplane.pdbEnabled" -}}
{{- $enabled := .Values.podDisruptionBudget.enabled }}
{{- if kindIs "invalid" $enabled }}
{{- if ge (int .Values.replicas) 2 }}true{{ end }}
{{- else if $enabled }}true{{ end }}
{{- end }}

{{/* --authorization-always-allow-paths: the health paths, plus /metrics when a ServiceMonitor scrapes it. */}}
{{- define "scaleplane.alwaysAllowPaths" -}}
{{- $paths := list "/healthz" "/readyz" "/livez" }}
{{- if .Values.serviceMonitor.enabled }}
{{- $paths = append $paths "/metrics" }}
{{- end }}
{{- join "," $paths }}
{{- end }}
