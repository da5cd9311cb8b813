{{- define "sweeps.labels" -}}
app.kubernetes.io/name: sweeps
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
