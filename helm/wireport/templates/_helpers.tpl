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

{{- /* The service's own listeners (tcp seed and framed, udp seed) that the values leave out
are switched off, so that the pod runs exactly the listeners listed here. */}}
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
    {{- range $name, $listener := .Values.tcp.listeners }}
      {{ $name }}:
        port: {{ $listener.port }}
        framing: {{ $listener.framing | quote }}
        max-frame-size: {{ $listener.maxFrameSize | default $.Values.tcp.maxFrameSize | quote }}
        idle-timeout: {{ $listener.idleTimeout | default $.Values.tcp.idleTimeout | quote }}
        frame-timeout: {{ $listener.frameTimeout | default $.Values.tcp.frameTimeout | quote }}
        write-timeout: {{ $listener.writeTimeout | default $.Values.tcp.writeTimeout | quote }}
        max-connections: {{ $listener.maxConnections | default $.Values.tcp.maxConnections }}
        log-level: {{ $listener.logLevel | default $.Values.tcp.logLevel | quote }}
        {{- /* hasKey, not default: 0 (no limit) is a value of its own. */}}
        log-rate: {{ hasKey $listener "logRate" | ternary $listener.logRate $.Values.tcp.logRate }}
        {{- with $listener.reply }}
        reply: {{ . | quote }}
        {{- end }}
        {{- with $listener.proxyProtocol }}
        proxy-protocol: {{ . | quote }}
        {{- end }}
        {{- with $listener.tls }}
        ssl:
          bundle: "tcp-{{ $name }}"
          client-auth: {{ .clientAuth | default "none" | quote }}
          {{- with .handshakeTimeout }}
          handshake-timeout: {{ . | quote }}
          {{- end }}
        {{- end }}
    {{- end }}
    {{- range $name := list "seed" "framed" }}
    {{- if not (hasKey $.Values.tcp.listeners $name) }}
      {{ $name }}:
        enabled: false
    {{- end }}
    {{- end }}
  udp:
    listeners:
    {{- range $name, $listener := .Values.udp.listeners }}
      {{ $name }}:
        port: {{ $listener.port }}
        {{- with $listener.reply }}
        reply: {{ . | quote }}
        {{- end }}
    {{- end }}
    {{- if not (hasKey .Values.udp.listeners "seed") }}
      seed:
        enabled: false
    {{- end }}
{{- $tls := include "wireport.tlsListeners" . | fromJsonArray }}
{{- if $tls }}
# One SSL bundle per TLS listener, from its Secret's files (see the Deployment's
# volumes), reloaded when the Secret changes.
spring:
  ssl:
    bundle:
      pem:
      {{- range $name := $tls }}
      {{- $listener := get $.Values.tcp.listeners $name }}
        tcp-{{ $name }}:
          reload-on-update: true
          keystore:
            certificate: "file:/tls/{{ $name }}/tls.crt"
            private-key: "file:/tls/{{ $name }}/tls.key"
          {{- if ne ($listener.tls.clientAuth | default "none") "none" }}
          truststore:
            certificate: "file:/tls/{{ $name }}/ca.crt"
          {{- end }}
      {{- end }}
{{- end }}
{{- end }}


{{/*
The names of the TCP listeners with TLS, as a JSON array.
*/}}
{{- define "wireport.tlsListeners" -}}
{{- $names := list }}
{{- range $name, $listener := .Values.tcp.listeners }}
{{- if and $listener $listener.tls }}
{{- $names = append $names $name }}
{{- end }}
{{- end }}
{{- toJson $names }}
{{- end }}
