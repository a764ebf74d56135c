#!/usr/bin/env bash
# wireport beside the Go reference servers, measured in one run on one machine with the
# same load tool: TCP (lf and len4) request/reply with 1, 16 and 256 connections,
# pipelined 16 x 32 and 4 x 512, the p99 of one request/reply client while 4 connections
# pipeline 512 in flight (fairness), UDP request/reply with 1 and 16 senders, HTTP /go with
# wrk, 10,000 connections held, and 1,000 connections that flood empty frames and never
# read. The plain Netty server of the shared tools runs the lf cases too, as the JVM's
# yardstick. Runs are interleaved (wireport, Go, Netty, REPS times); the summary is the
# median per case. Every load loop is bounded by its message count and a time limit; all
# traffic goes to 127.0.0.1.
#
#   bench/compare.sh [OUT_DIR]        env: REPS (3), JAVA (java), JAVA_OPTS, SKIP_HOLD=1, TOOLS,
#                                          WIREPORT_ARGS (more wireport arguments),
#                                          ONLY=tls or ONLY=udp (those cases alone)
#
# TLS: request/reply with 16 connections and pipelined 16 x 32 over TLS (a self-signed
# certificate made with openssl), wireport against a copy of the Go reference server
# with crypto/tls and the load generator's TLS copy (bench/tls).
#
# wireport's JVM gets the options the container image gives it (shipped_jvm_options in
# bench/lib.sh: on Java 24 and newer, the one that lets Netty use sun.misc.Unsafe).
#
# Writes results.jsonl, summary.md (every figure per case), ratios.md and chart.svg
# (bench/report.py) to OUT_DIR.
#
# Needs: the shared benchmark tools beside the project (../shared/bench, built here
# with their build.sh, which installs golang-go if missing; its Netty server is built with
# the project's Maven wrapper), wrk (apt-get install wrk), and target/wireport.jar
# (./mvnw -B package -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench}
reps=${REPS:-3}
java=${JAVA:-java}
mkdir -p "$out"
# 10,000 held connections need that many descriptors on each side.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
tools=$("$root/bench/shared-tools.sh" "$out")
"$root/mvnw" -q -B -f "$tools/netty-ref/pom.xml" package -DskipTests >/dev/null
(cd "$root/bench/soak" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 go build -o "$tools/bin/soak" .)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
results="$out/results.jsonl"
: >"$results"
. "$root/bench/lib.sh"
tlsdir="$out/tls"
tls_setup "$tlsdir" "$tools"
tls_listener_args "$tlsdir" 19443

pids=()
trap stop_pids EXIT

# wireport: both framings on their own listeners, per-message logging at its defaults
# (info, at most 100 lines per second per listener), the UDP reply limit raised (every
# sender is 127.0.0.1, one source), -Xmx512m as the memory target says.
# shellcheck disable=SC2086
jvm_options=$(shipped_jvm_options "$java")
# shellcheck disable=SC2086
$java -Xmx512m $jvm_options ${JAVA_OPTS:-} -jar "$root/target/wireport.jar" --server.port=18080 --management.server.port=18081 \
  --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.enabled=false \
  --wireport.tcp.listeners.lf.port=19000 --wireport.tcp.listeners.lf.framing=lf \
  --wireport.tcp.listeners.len4.port=19004 --wireport.tcp.listeners.len4.framing=length-header-4 \
  --wireport.tcp.listeners.len4.max-connections=20000 --wireport.tcp.listeners.lf.max-connections=20000 \
  --wireport.udp.listeners.seed.port=18090 \
  "${tls_args[@]}" \
  --wireport.udp.listeners.seed.reply-rate=100000000 --wireport.udp.listeners.seed.reply-burst=100000000 \
  ${WIREPORT_ARGS:-} >"$out/wireport.log" 2>&1 &
wp=$!; pids+=("$wp")
"$tools/bin/ref-tcpserver" -framing lf -addr 127.0.0.1:29000 & golf=$!; pids+=("$golf")
"$tools/bin/ref-tcpserver" -framing len4 -addr 127.0.0.1:29004 & golen=$!; pids+=("$golen")
"$tools/bin/ref-udpserver" -addr 127.0.0.1:28090 & goudp=$!; pids+=("$goudp")
"$tools/bin/ref-httpserver" -addr 127.0.0.1:28080 & gohttp=$!; pids+=("$gohttp")
"$tools/bin/tls-ref-tcpserver" -framing lf -addr 127.0.0.1:29443 -tls "$tlsdir/tls.crt,$tlsdir/tls.key" \
  & gotls=$!; pids+=("$gotls")
# shellcheck disable=SC2086
$java -cp "$tools/netty-ref/target/netty-ref-1.jar:$tools/netty-ref/target/lib/*" ref.NettyAckServer 29200 \
  >"$out/netty-ref.log" 2>&1 & netty=$!; pids+=("$netty")
wait_started "$wp" "$out/wireport.log"
for p in 18080 19000 19004 29000 29004 28080 29200 19443 29443; do wait_port "$p"; done

export M_RR1=${M_RR1:-60000} M_RR16=${M_RR16:-15000} M_RR256=${M_RR256:-1000} M_PIPE=${M_PIPE:-150000}
m_deep=${M_DEEP:-600000} m_light=${M_LIGHT:-20000}
cd "$tools"
deep() { # label addr pid: 4 connections pipelining 512 messages each
  bin/load -mode tcp -addr "$2" -framing lf -size 64 -c 4 -m "$m_deep" -window 512 -pid "$3" -label "$1" \
    -maxtime 60s >>"$results"
}
fair() { # label addr pid: one request/reply client while 4 connections pipeline 512 in flight
  bin/load -mode tcp -addr "$2" -framing lf -size 64 -c 4 -m $((m_deep * 4)) -window 512 -maxtime 60s \
    >/dev/null 2>&1 & flood=$!
  sleep 1
  bin/load -mode tcp -addr "$2" -framing lf -size 64 -c 1 -m "$m_light" -pid "$3" -label "$1" -maxtime 60s \
    >>"$results"
  kill "$flood" 2>/dev/null || true
  wait "$flood" 2>/dev/null || true
}
udp() { # label addr pid senders messages
  bin/load -mode udp -addr "$2" -c "$4" -m "$5" -size 64 -pid "$3" -label "$1" -maxtime 60s >>"$results"
}
udp_cases() { # rep: request/reply with 1 and 16 senders, wireport then Go
  local c
  for c in 1 16; do
    udp "wireport|udp-rr$c|pin=none|rep=$rep" 127.0.0.1:18090 "$wp" "$c" 20000
    udp "go-ref|udp-rr$c|pin=none|rep=$rep" 127.0.0.1:28090 "$goudp" "$c" 20000
  done
}
tls_cases() { # rep: request/reply 16 x 1 and pipelined 16 x 32 over TLS, wireport then Go
  local impl name port pid cs
  for impl in "wireport 19443 $wp" "go-ref 29443 $gotls"; do
    read -r name port pid <<<"$impl"
    for cs in "rr16 $M_RR16 1" "pipe16 $M_PIPE 32"; do
      set -- $cs
      bin/tls-load -tls "$tlsdir/tls.crt" -addr "127.0.0.1:$port" -framing lf -size 64 -c 16 -m "$2" -window "$3" \
        -pid "$pid" -label "$name|tls-lf-$1|pin=none|rep=$rep" -maxtime 60s >>"$results"
      sleep 1
    done
  done
}
# Warm-ups, before the first recorded run of each path of the JVM servers (the Go servers
# are compiled ahead of time): each repeats one load until its rate stops rising
# (warm_until_steady in bench/lib.sh), and writes its passes to warmup.jsonl. A 20,000
# datagram run lasts a third of a second: without its warm-up, UDP measured wireport's
# interpreter and compiler (0.62x Go with one sender, 0.94x once compiled).
warmup="$out/warmup.jsonl"
: >"$warmup"
tls_warmup() {
  bin/tls-load -tls "$tlsdir/tls.crt" -addr 127.0.0.1:19443 -framing lf -size 64 -c 16 -m "$M_RR16" \
    -maxtime 60s >/dev/null 2>&1 || true
  warm_until_steady "$warmup" bin/tls-load -tls "$tlsdir/tls.crt" -addr 127.0.0.1:19443 -framing lf -size 64 \
    -c 16 -m "$M_PIPE" -window 32 -label "wireport|tls-lf-pipe16|warmup" -maxtime 60s
}
udp_warmup() {
  local c
  for c in 1 16; do
    warm_until_steady "$warmup" bin/load -mode udp -addr 127.0.0.1:18090 -c "$c" -m $((320000 / c)) -size 64 \
      -label "wireport|udp-rr$c|warmup" -maxtime 60s
  done
}
tcp_warmup() { # the pipelined path of each JVM server and framing
  local impl
  for impl in "wireport 19000 lf" "netty-ref 29200 lf" "wireport 19004 len4"; do
    set -- $impl
    warm_until_steady "$warmup" bin/load -mode tcp -addr "127.0.0.1:$2" -framing "$3" -size 64 -c 4 -m "$m_deep" \
      -window 512 -label "$1|tcp-$3-pipe4x512|warmup" -maxtime 60s
  done
}
http_warmup() { # Tomcat's and Spring MVC's paths: 3 to 8 runs of 10 s
  warm_until_steady "$warmup" ./httpbench.py "wireport|http-go|warmup" http://127.0.0.1:18080/go "$wp" \
    -t2 -c64 -d10s
}
if [ -n "${ONLY:-}" ]; then
  case $ONLY in tls | udp) ;; *) echo "ONLY=$ONLY: tls or udp" >&2; exit 2 ;; esac
  "${ONLY}_warmup"
  for rep in $(seq 1 "$reps"); do "${ONLY}_cases"; done
  ./summarize.py "$results" | tee "$out/summary.md"
  "$root/bench/report.py" "$results" "$out"
  exit 0
fi
tls_warmup
tcp_warmup
udp_warmup
http_warmup
for rep in $(seq 1 "$reps"); do
  warm=0; [ "$rep" = 1 ] && warm=full
  tls_cases
  REPS=1 REP_START=$rep WARMUP=$warm ./suite.sh wireport 127.0.0.1:19000 "$wp" lf "$results"
  REPS=1 REP_START=$rep ./suite.sh go-ref 127.0.0.1:29000 "$golf" lf "$results"
  REPS=1 REP_START=$rep WARMUP=$warm CASES="rr16 pipe16" ./suite.sh netty-ref 127.0.0.1:29200 "$netty" lf "$results"
  for impl in "wireport 19000 $wp" "go-ref 29000 $golf" "netty-ref 29200 $netty"; do
    set -- $impl
    deep "$1|tcp-lf-pipe4x512|pin=none|rep=$rep" "127.0.0.1:$2" "$3"
    fair "$1|tcp-lf-fair-rr1|pin=none|rep=$rep" "127.0.0.1:$2" "$3"
  done
  REPS=1 REP_START=$rep WARMUP=$warm CASES="rr1 rr16 rr256" ./suite.sh wireport 127.0.0.1:19004 "$wp" len4 "$results"
  REPS=1 REP_START=$rep CASES="rr1 rr16 rr256" ./suite.sh go-ref 127.0.0.1:29004 "$golen" len4 "$results"
  udp_cases
  ./httpbench.py "wireport|http-go|pin=none|rep=$rep" http://127.0.0.1:18080/go "$wp" >>"$results"
  ./httpbench.py "go-ref|http-go|pin=none|rep=$rep" http://127.0.0.1:28080/go "$gohttp" >>"$results"
done
if [ "${SKIP_HOLD:-0}" != 1 ]; then
  bin/load -mode tcp-hold -addr 127.0.0.1:19000 -framing lf -c 10000 -hold 10s -pid "$wp" \
    -label "wireport|tcp-hold10k|pin=none|rep=1" >>"$results" || true
  bin/load -mode tcp-hold -addr 127.0.0.1:29000 -framing lf -c 10000 -hold 10s -pid "$golf" \
    -label "go-ref|tcp-hold10k|pin=none|rep=1" >>"$results" || true
fi
# 1,000 connections that send empty frames and never read, with -Xmx512m: the service
# must stay up with its heap bounded, and answer a new client.
bin/soak deaf -addr 127.0.0.1:19000 -c 1000 -duration 20s -metrics http://127.0.0.1:18081/actuator/metrics -pid "$wp" \
  -label wireport | tee "$out/deaf.jsonl" || true
./summarize.py "$results" | tee "$out/summary.md"
"$root/bench/report.py" "$results" "$out"
