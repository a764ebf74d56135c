#!/usr/bin/env bash
# Two or more wireport builds side by side in one run, with the Go reference server
# beside them: how a change is measured on a machine too noisy to compare runs taken
# at different times. Every build runs at once on ports of its own (an idle JVM costs
# the others nothing), each is warmed up, then the TCP lf cases run on each in turn,
# REPS times over: pipelined 16 x 32 (pipe16), pipelined 4 x 512 (pipe4x512), the
# fairness case (fair: the p99 of one request/reply client while 4 connections pipeline
# 512 in flight), request/reply with 16 connections (rr16), and on request UDP
# request/reply with 1 and 16 senders (udp1, udp16; the reply limit raised, as in
# compare.sh), and on request the TLS cases of compare.sh, request/reply with 16
# connections (tls-rr16) and pipelined 16 x 32 (tls-pipe16), against the Go reference
# server with crypto/tls (bench/tls) and a self-signed certificate made here. Every
# load loop is bounded by its message count and a 60 s limit; all traffic goes to
# 127.0.0.1.
#
#   bench/ab.sh NAME=JAR NAME=JAR...
#     env: REPS (3), CASES ("pipe16 pipe4x512 fair rr16"; also udp1 udp16 tls-rr16
#          tls-pipe16), JAVA (java), OUT (target/bench-ab), TOOLS (a built copy of
#          the shared benchmark tools; default: copied from ../shared/bench and
#          built), OPTS_<NAME> (JVM options of one build, e.g.
#          OPTS_base=-XX:+UseSerialGC)
#
# Writes results.jsonl (one JSON line per run, labelled NAME|case|rep=N) and summary.md
# (the shared tools' summarize.py: medians per case and build, the p99, and the server's
# CPU time per message, the steadiest figure on a shared machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
[ $# -ge 1 ] || { sed -n '2,25p' "$0" >&2; exit 2; }
reps=${REPS:-3}
cases=${CASES:-pipe16 pipe4x512 fair rr16}
java=${JAVA:-java}
out=${OUT:-$root/target/bench-ab}
mkdir -p "$out"
tools=$("$root/bench/shared-tools.sh" "$out")
load="$tools/bin/load"
results="$out/results.jsonl"
: >"$results"
tls=$out/tls want_tls=
if [[ " $cases " == *" tls-"* ]]; then
  want_tls=1
  tls_setup "$tls" "$tools"
fi

pids=()
trap stop_pids EXIT
declare -A port pid
names=()
i=0
jvm_options=$(shipped_jvm_options "$java")
for spec in "$@"; do
  name=${spec%%=*} jar=${spec#*=}
  base=$((21000 + i * 10)) tls_args=()
  [ -z "$want_tls" ] || tls_listener_args "$tls" $((base + 4))
  opts=OPTS_$name
  # shellcheck disable=SC2086
  $java -Xmx512m $jvm_options ${!opts:-} -jar "$jar" --server.port=$((base + 1)) --management.server.port=$((base + 2)) \
    --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.port="$base" \
    --wireport.udp.listeners.seed.port=$((base + 3)) --wireport.udp.listeners.seed.reply-rate=100000000 \
    --wireport.udp.listeners.seed.reply-burst=100000000 "${tls_args[@]}" >"$out/$name.log" 2>&1 &
  pid[$name]=$! port[$name]=$base
  pids+=("$!") names+=("$name")
  i=$((i + 1))
done
"$tools/bin/ref-tcpserver" -framing lf -addr 127.0.0.1:21900 >/dev/null 2>&1 &
pid[go]=$! port[go]=21900
pids+=("$!") names+=(go)
"$tools/bin/ref-udpserver" -addr 127.0.0.1:21903 >/dev/null 2>&1 &
go_udp=$!
pids+=("$!")
if [ -n "$want_tls" ]; then
  "$tools/bin/tls-ref-tcpserver" -framing lf -addr 127.0.0.1:21904 -tls "$tls/tls.crt,$tls/tls.key" >/dev/null 2>&1 &
  go_tls=$!
  pids+=("$!")
fi

for name in "${names[@]}"; do
  if [ "$name" != go ]; then wait_started "${pid[$name]}" "$out/$name.log"; fi
  wait_port "${port[$name]}"
done

run() { # name case label-rep
  local address=127.0.0.1:${port[$1]} label="$1|$2|rep=$3"
  case $2 in
    pipe16) "$load" -mode tcp -addr "$address" -framing lf -size 64 -c 16 -m 150000 -window 32 \
      -pid "${pid[$1]}" -label "$label" -maxtime 60s >>"$results" 2>/dev/null ;;
    pipe4x512) "$load" -mode tcp -addr "$address" -framing lf -size 64 -c 4 -m 600000 -window 512 \
      -pid "${pid[$1]}" -label "$label" -maxtime 60s >>"$results" 2>/dev/null ;;
    rr16) "$load" -mode tcp -addr "$address" -framing lf -size 64 -c 16 -m 15000 \
      -pid "${pid[$1]}" -label "$label" -maxtime 60s >>"$results" 2>/dev/null ;;
    udp1 | udp16)
      # Go's UDP reference server is a process of its own, beside its TCP one.
      local server=${pid[$1]}
      [ "$1" = go ] && server=$go_udp
      "$load" -mode udp -addr "127.0.0.1:$((${port[$1]} + 3))" -size 64 -c "${2#udp}" -m 20000 \
        -pid "$server" -label "$label" -maxtime 60s >>"$results" 2>/dev/null ;;
    tls-rr16 | tls-pipe16)
      local server=${pid[$1]} window=1 count=15000
      [ "$1" = go ] && server=$go_tls
      [ "$2" = tls-pipe16 ] && window=32 count=150000
      "$tools/bin/tls-load" -tls "$tls/tls.crt" -addr "127.0.0.1:$((${port[$1]} + 4))" -framing lf -size 64 -c 16 \
        -m "$count" -window "$window" -pid "$server" -label "$label" -maxtime 60s >>"$results" 2>/dev/null ;;
    fair)
      "$load" -mode tcp -addr "$address" -framing lf -size 64 -c 4 -m 2400000 -window 512 -maxtime 60s \
        >/dev/null 2>&1 &
      local flood=$!
      # The light client starts once the flood is under way: bounded, not timed.
      for _ in $(seq 1 50); do
        [ "$(ss -Htn state established "( dport = :${port[$1]} )" | wc -l)" -ge 4 ] && break
        sleep 0.1
      done
      "$load" -mode tcp -addr "$address" -framing lf -size 64 -c 1 -m 20000 -pid "${pid[$1]}" -label "$label" \
        -maxtime 60s >>"$results" 2>/dev/null
      kill "$flood" 2>/dev/null || true
      wait "$flood" 2>/dev/null || true ;;
    *) echo "unknown case $2" >&2; exit 2 ;;
  esac
}

# The JIT compiles the hot paths first: pipelined passes on each build until its rate
# stops rising (bench/lib.sh), and UDP passes when UDP cases run; the passes go to
# warmup.jsonl.
: >"$out/warmup.jsonl"
for name in "${names[@]}"; do
  warm_until_steady "$out/warmup.jsonl" "$load" -mode tcp -addr "127.0.0.1:${port[$name]}" -framing lf -size 64 \
    -c 4 -m 300000 -window 512 -label "$name|pipe4x512|warmup" -maxtime 60s
  if [[ " $cases " == *" udp"* ]]; then
    warm_until_steady "$out/warmup.jsonl" "$load" -mode udp -addr "127.0.0.1:$((${port[$name]} + 3))" -size 64 \
      -c 16 -m 20000 -label "$name|udp16|warmup" -maxtime 60s
  fi
  if [ -n "$want_tls" ] && [ "$name" != go ]; then
    warm_until_steady "$out/warmup.jsonl" "$tools/bin/tls-load" -tls "$tls/tls.crt" \
      -addr "127.0.0.1:$((${port[$name]} + 4))" -framing lf -size 64 -c 16 -m 150000 -window 32 \
      -label "$name|tls-pipe16|warmup" -maxtime 60s
  fi
done
for rep in $(seq 1 "$reps"); do
  for name in "${names[@]}"; do
    for c in $cases; do run "$name" "$c" "$rep"; done
  done
done

"$tools/summarize.py" "$results" | tee "$out/summary.md"
