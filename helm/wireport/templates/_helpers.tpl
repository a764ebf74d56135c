{{- define "wireport.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wireport.fullname" -}}
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

{{- define "wireport.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wireport.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "wireport.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "wireport.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- /* The service's own defaults come at list indexes 0 and 1 (TCP) and 0 (UDP); indexes the
values leave out are switched off so that the pod runs exactly the listeners listed here. */}}
{{- define "wireport.applicationYaml" -}}
server:
  port: {{ .Values.http.port }}
management:
  server:
    port: {{ .Values.management.port }}
wireport:
  io:
    transport: {{ .Values.io.transport | quote }}
    threads: {{ .Values.io.threads }}
  tcp:
    drain-timeout: {{ .Values.tcp.drainTimeout | quote }}
    listeners:
    {{- range .Values.tcp.listeners }}
      - name: {{ .name | quote }}
        port: {{ .port }}
        framing: {{ .framing | quote }}
        max-frame-size: {{ .maxFrameSize | default $.Values.tcp.maxFrameSize | quote }}
        idle-timeout: {{ .idleTimeout | default $.Values.tcp.idleTimeout | quote }}
        frame-timeout: {{ .frameTimeout | default $.Values.tcp.frameTimeout | quote }}
        write-timeout: {{ .writeTimeout | default $.Values.tcp.writeTimeout | quote }}
        max-connections: {{ .maxConnections | default $.Values.tcp.maxConnections }}
        log-level: {{ .logLevel | default $.Values.tcp.logLevel | quote }}
        {{- /* hasKey, not default: 0 (no limit) is a value of its own. */}}
        log-rate: {{ hasKey . "logRate" | ternary .logRate $.Values.tcp.logRate }}
        {{- with .reply }}
        reply: {{ . | quote }}
        {{- end }}
    {{- end }}
    {{- range $i := until 2 }}
    {{- if ge $i (len $.Values.tcp.listeners) }}
      - enabled: false
    {{- end }}
    {{- end }}
  udp:
    listeners:
    {{- range .Values.udp.listeners }}
      - name: {{ .name | quote }}
        port: {{ .port }}
        {{- with .reply }}
        reply: {{ . | quote }}
        {{- end }}
    {{- end }}
    {{- if eq (len .Values.udp.listeners) 0 }}
      - enabled: false
    {{- end }}
{{- end }}
