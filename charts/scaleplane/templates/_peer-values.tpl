{{/*
Values of the prometheus-community prometheus-adapter chart and of the kubernetes-sigs
metrics-server chart, mapped onto this chart's own values, so a user's existing values file
installs scaleplane. Every template that reads a mapped value includes "scaleplane.peerValues"
first; the mapping runs once per render (cached on the root context, like scaleplane.generatedTLS)
and rewrites .Values in place, so the other templates read one set of values only. A peer value
without a meaning here fails the render with the reason; accepted-but-ignored ones are listed in
NOTES.txt (scaleplane.peerWarnings). README.md "Migrating from prometheus-adapter and
metrics-server" has the table.
*/}}
{{- define "scaleplane.peerValues" -}}
{{- if not (hasKey . "scaleplanePeerValues") }}
{{- $_ := set . "scaleplanePeerValues" true }}
{{- $v := .Values }}
{{- $warnings := list }}
{{- /* Image: a peer image would start the peer, not scaleplane. */}}
{{- $repo := $v.image.repository | default "" }}
{{- if regexMatch "(^|/)(metrics-server|prometheus-adapter|k8s-prometheus-adapter[^/]*)$" $repo }}
{{- fail (printf "image.repository %q is the peer's image; remove image.repository (and image.tag) from the values to run scaleplane" $repo) }}
{{- end }}
{{- with $v.image.pullSecrets }}
{{- /* prometheus-adapter: a list of Secret names. */}}
{{- range . }}
{{- $_ := set $v "imagePullSecrets" (append ($v.imagePullSecrets | default list) (dict "name" .)) }}
{{- end }}
{{- $_ := unset $v.image "pullSecrets" }}
{{- end }}
{{- /* metrics-server: revisionHistoryLimit defaults to null there (the Kubernetes default, 10). */}}
{{- if kindIs "invalid" $v.revisionHistoryLimit }}{{ $_ := set $v "revisionHistoryLimit" 10 }}{{ end }}
{{- /* prometheus-adapter: serving and logging. */}}
{{- if not (kindIs "invalid" $v.listenPort) }}{{ $_ := set $v "containerPort" (int $v.listenPort) }}{{ end }}
{{- if not (kindIs "invalid" $v.logLevel) }}{{ $_ := set $v "logVerbosity" (int $v.logLevel) }}{{ end }}
{{- with $v.metricsRelistInterval }}{{ $_ := set $v.prometheus "metricsRelistInterval" . }}{{ end }}
{{- with $v.strategy }}{{ $_ := set $v "updateStrategy" . }}{{ end }}
{{- with $v.customLabels }}{{ $_ := set $v "commonLabels" (merge (deepCopy ($v.commonLabels | default dict)) .) }}{{ end }}
{{- with $v.customAnnotations }}
{{- $_ := set $v "deploymentAnnotations" (merge (deepCopy ($v.deploymentAnnotations | default dict)) .) }}
{{- $_ := set $v "podAnnotations" (merge (deepCopy ($v.podAnnotations | default dict)) .) }}
{{- end }}
{{- if not (kindIs "invalid" $v.runAsUser) }}
{{- $_ := set $v "securityContext" (merge (dict "runAsUser" (int $v.runAsUser)) ($v.securityContext | default dict)) }}
{{- $_ := set $v.securityContext "runAsUser" (int $v.runAsUser) }}
{{- end }}
{{- /* prometheus-adapter: prometheus.url (templated) + port + path, as its Deployment builds --prometheus-url. */}}
{{- $p := $v.prometheus }}
{{- if or (not (kindIs "invalid" $p.port)) $p.path }}
{{- if not $p.url }}
{{- fail "prometheus.port and prometheus.path complete prometheus.url, which is empty; set prometheus.url (for example http://prometheus.monitoring.svc)" }}
{{- end }}
{{- $url := tpl $p.url $ }}
{{- if not (kindIs "invalid" $p.port) }}{{ $url = printf "%s:%v" $url $p.port }}{{ end }}
{{- $_ := set $p "url" (printf "%s%s" $url ($p.path | default "")) }}
{{- $_ := unset $p "port" }}
{{- $_ := unset $p "path" }}
{{- else if $p.url }}
{{- $_ := set $p "url" (tpl $p.url $) }}
{{- end }}
{{- /* Extra flags: prometheus-adapter extraArguments, metrics-server defaultArgs and args. Later flags win. */}}
{{- $extra := list }}
{{- range (list "defaultArgs" "args" "extraArguments") }}
{{- $extra = concat $extra (get $v . | default list) }}
{{- end }}
{{- if $extra }}{{ $_ := set $v "extraArgs" (concat $extra ($v.extraArgs | default list)) }}{{ end }}
{{- /* metrics-server: metrics.enabled lets /metrics through without authorization, as its chart does. */}}
{{- if and $v.metrics $v.metrics.enabled }}
{{- $_ := set $v "extraArgs" (append ($v.extraArgs | default list) (printf "--authorization-always-allow-paths=%s,/metrics" (include "scaleplane.alwaysAllowPaths" $ | replace ",/metrics" ""))) }}
{{- end }}
{{- /* metrics-server: apiService.*. */}}
{{- with $v.apiService }}
{{- if not (kindIs "invalid" .create) }}{{ $_ := set $v.apiServices.metrics "enabled" .create }}{{ end }}
{{- with .annotations }}{{ $_ := set $v.apiServices "annotations" (merge (deepCopy $v.apiServices.annotations) .) }}{{ end }}
{{- if .caBundle }}
{{- fail "apiService.caBundle: with a certificate you manage, set tls.mode=existingSecret, tls.existingSecret.name (its kubernetes.io/tls Secret) and tls.existingSecret.caBundle (this PEM); the default tls.mode=generate needs neither" }}
{{- end }}
{{- if and .insecureSkipTLSVerify (ne $v.tls.mode "selfSigned") }}
{{- $warnings = append $warnings (printf "apiService.insecureSkipTLSVerify=true is not applied: with tls.mode=%s kube-apiserver verifies the serving certificate against the chart's CA. Use tls.mode=selfSigned with tls.insecureSkipTLSVerify=true for the metrics-server behaviour." $v.tls.mode) }}
{{- end }}
{{- end }}
{{- /* prometheus-adapter: tls.enable with an inline certificate; certManager.enabled. */}}
{{- if $v.tls.enable }}
{{- fail "tls.enable (prometheus-adapter chart): put tls.certificate and tls.key in a kubernetes.io/tls Secret and set tls.mode=existingSecret, tls.existingSecret.name and tls.existingSecret.caBundle (tls.ca); or drop tls.enable and let tls.mode=generate create the certificate" }}
{{- end }}
{{- with $v.certManager }}
{{- if .enabled }}
{{- $_ := set $v.tls "mode" "certManager" }}
{{- with .certDuration }}{{ $_ := set $v.tls.certManager "duration" . }}{{ end }}
{{- if .caCertDuration }}
{{- $warnings = append $warnings "certManager.caCertDuration is not applied: scaleplane's cert-manager Issuer signs the serving certificate directly (no CA certificate is issued)." }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Features the peers' charts create that scaleplane refuses. */}}
{{- if or (and $v.psp $v.psp.create) $v.rbac.pspEnabled }}
{{- fail "psp.create / rbac.pspEnabled: PodSecurityPolicy was removed in Kubernetes 1.25; use Pod Security Admission (the pod runs as non-root with a read-only root filesystem and the RuntimeDefault seccomp profile, which the restricted level accepts)" }}
{{- end }}
{{- if and $v.addonResizer $v.addonResizer.enabled }}
{{- fail "addonResizer.enabled: scaleplane ships no addon-resizer sidecar; size resources.requests for the cluster (README: Scaling) or use a VerticalPodAutoscaler" }}
{{- end }}
{{- /* prometheus-adapter: rules as {default, custom, external, resource, existing}. */}}
{{- if kindIs "map" $v.rules }}
{{- $r := $v.rules }}
{{- if $r.existing }}
{{- if or $r.custom $r.external $r.resource $v.externalRules $v.resourceRules $v.config }}
{{- fail "rules.existing mounts that ConfigMap instead of the chart's: rules.custom, rules.external, rules.resource, externalRules, resourceRules and config belong in it (key config.yaml) and cannot be set here" }}
{{- end }}
{{- if $r.default }}
{{- $warnings = append $warnings (printf "rules.default=true is not applied: rules.existing (ConfigMap %s) replaces the chart's rules." $r.existing) }}
{{- end }}
{{- end }}
{{- if and $r.resource $v.resourceRules }}
{{- fail "rules.resource and resourceRules are the same setting; keep one" }}
{{- end }}
{{- end }}
{{- $_ := set . "scaleplanePeerWarnings" $warnings }}
{{- end }}
{{- end }}

{{/* Warnings about accepted peer values that have no effect, for NOTES.txt (one per line). */}}
{{- define "scaleplane.peerWarnings" -}}
{{- include "scaleplane.peerValues" . }}
{{- range (get . "scaleplanePeerWarnings") }}
{{ printf "Warning: %s" . }}
{{- end }}
{{- end }}

{{/* The ConfigMap holding config.yaml: rules.existing, else the chart's own. */}}
{{- define "scaleplane.configMapName" -}}
{{- if and (kindIs "map" .Values.rules) .Values.rules.existing }}
{{- .Values.rules.existing }}
{{- else }}
{{- include "scaleplane.fullname" . }}
{{- end }}
{{- end }}

{{/*
The --config document: .Values.config plus prometheus-adapter's rules, externalRules and
resourceRules. `rules` is either a list (a prometheus-adapter config's `rules`, unchanged) or the
prometheus-adapter chart's map: default (its default rules, files/prometheus-adapter-default-rules.yaml),
custom, external and resource.
*/}}
{{- define "scaleplane.configDocument" -}}
{{- $config := deepCopy .Values.config }}
{{- $custom := list }}
{{- $external := .Values.externalRules | default list }}
{{- $resource := .Values.resourceRules | default dict }}
{{- if kindIs "slice" .Values.rules }}
{{- $custom = .Values.rules }}
{{- else if kindIs "map" .Values.rules }}
{{- $r := .Values.rules }}
{{- if $r.default }}
{{- $custom = .Files.Get "files/prometheus-adapter-default-rules.yaml" | fromYamlArray }}
{{- end }}
{{- $custom = concat $custom ($r.custom | default list) }}
{{- $external = concat $external ($r.external | default list) }}
{{- with $r.resource }}{{ $resource = . }}{{ end }}
{{- end }}
{{- $_ := set $config "rules" ($custom | default list) }}
{{- with $external }}{{ $_ := set $config "externalRules" . }}{{ end }}
{{- with $resource }}{{ $_ := set $config "resourceRules" . }}{{ end }}
{{- toYaml $config }}
{{- end }}
