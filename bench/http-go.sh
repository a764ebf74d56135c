#!/usr/bin/env bash
# /go on one wireport jar beside the Go reference HTTP server, interleaved in one run:
# the jar is started, warmed up with unrecorded 10 s wrk runs until its rate stops rising
# (3 to 8 runs, warm_until_steady in bench/lib.sh; the JIT needs 30 s or more on 2
# cores), then wireport and Go are measured in turn, REPS times each, with
# wrk -t2 -c64 -d10s. All traffic goes to 127.0.0.1.
#
#   bench/http-go.sh LABEL JAR [wireport arguments...]
#     env: REPS (3), JAVA (java), OUT (target/bench-http), TOOLS (a built copy of the
#          shared benchmark tools; default: copied from ../shared/bench and built)
#
# Appends one JSON line per measured run to $OUT/results.jsonl, labelled
# "LABEL|http-go|rep=N" for wireport and "go-ref(LABEL)|http-go|rep=N" for Go; the
# wireport log goes to $OUT/LABEL.log, its warm-up runs to $OUT/LABEL.warmup.jsonl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
label=$1 jar=$2
shift 2
reps=${REPS:-3}
java=${JAVA:-java}
out=${OUT:-$root/target/bench-http}
mkdir -p "$out"
tools=$("$root/bench/shared-tools.sh" "$out")
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

. "$root/bench/lib.sh"

pids=()
trap stop_pids EXIT

read -r wport mport gport <<<"$("$root/bench/free-ports" 3)"
log="$out/$label.log"
jvm_options=$(shipped_jvm_options "$java")
# shellcheck disable=SC2086
"$java" -Xmx512m $jvm_options -jar "$jar" --server.port="$wport" --management.server.port="$mport" \
  --wireport.tcp.listeners.seed.port=0 --wireport.tcp.listeners.framed.port=0 --wireport.udp.listeners.seed.port=0 \
  "$@" >"$log" 2>&1 &
wp=$!; pids+=("$wp")
"$tools/bin/ref-httpserver" -addr "127.0.0.1:$gport" 2>/dev/null & go=$!; pids+=("$go")
wait_started "$wp" "$log"
wait_port "$wport" && wait_port "$gport"

warm_until_steady "$out/$label.warmup.jsonl" "$tools/httpbench.py" "$label|http-go|warmup" \
  "http://127.0.0.1:$wport/go" "$wp"
"$tools/httpbench.py" warmup "http://127.0.0.1:$gport/go" "$go" >/dev/null 2>&1
for rep in $(seq 1 "$reps"); do
  "$tools/httpbench.py" "$label|http-go|rep=$rep" "http://127.0.0.1:$wport/go" "$wp" 2>/dev/null >>"$out/results.jsonl"
  "$tools/httpbench.py" "go-ref($label)|http-go|rep=$rep" "http://127.0.0.1:$gport/go" "$go" 2>/dev/null \
    >>"$out/results.jsonl"
done
