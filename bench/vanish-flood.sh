#!/usr/bin/env bash
# Does a flooding client that vanishes hold the other clients? The packaged jar with an
# echo listener configured as TcpNetworkFaultsTest's; a client in a network namespace of
# its own floods it with 1 KiB messages (up to 8 MiB in flight) and reads the echoes,
# while 4 request/reply clients on 127.0.0.1 run for 7 s; 2 s in, the flooding client's
# link goes down (DOWN=1) or stays up (DOWN=0). All clients are the shared load tool, each
# a process of its own, so the healthy clients' latencies are the service's alone (in the
# test suite they share the service's JVM). Linux, root; traffic stays on 127.0.0.1 and
# on the two ends of a veth pair made here (10.231.0.0/30), removed at the end.
#
#   bench/vanish-flood.sh [JAR]      env: RUNS (2: each of DOWN=1 and DOWN=0 in turn),
#                                         TOOLS, OUT (target/bench-vanish), JAVA (java)
#
# Prints one line per run: the healthy clients' p99 and longest wait.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$root/target/wireport.jar}
runs=${RUNS:-2}
java=${JAVA:-java}
out=${OUT:-$root/target/bench-vanish}
mkdir -p "$out"
tools=$("$root/bench/shared-tools.sh" "$out")
load="$tools/bin/load"
ns=wpvanish
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  ip link del wpvanish0 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add "$ns"
ip link add wpvanish0 type veth peer name wpvanish1
ip link set wpvanish1 netns "$ns"
ip addr add 10.231.0.1/30 dev wpvanish0
ip link set wpvanish0 up
ip -n "$ns" addr add 10.231.0.2/30 dev wpvanish1
ip -n "$ns" link set wpvanish1 up

$java -Xmx512m -jar "$jar" --server.port=18400 --management.server.port=18401 \
  --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.enabled=false \
  --wireport.udp.listeners.seed.port=18402 --wireport.tcp.listeners.faulty.port=19500 \
  --wireport.tcp.listeners.faulty.framing=lf --wireport.tcp.listeners.faulty.reply=echo \
  --wireport.tcp.listeners.faulty.log-level=off --wireport.tcp.listeners.faulty.idle-timeout=30s \
  --wireport.tcp.listeners.faulty.write-timeout=2s --wireport.tcp.listeners.faulty.keep-alive-idle=1s \
  --wireport.tcp.listeners.faulty.keep-alive-interval=1s --wireport.tcp.listeners.faulty.keep-alive-count=2 \
  >"$out/wireport.log" 2>&1 &
wp=$!
pids+=("$wp")
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/19500) 2>/dev/null && break; sleep 0.2; done
# The JIT compiles the echo path first.
"$load" -mode tcp -addr 127.0.0.1:19500 -framing lf -c 4 -m 50000 -size 64 -ack - -maxtime 30s >/dev/null 2>&1

for run in $(seq 1 "$runs"); do
  for down in 1 0; do
    ip -n "$ns" link set wpvanish1 up
    ip netns exec "$ns" "$load" -mode tcp -addr 10.231.0.1:19500 -framing lf -c 1 -m 100000000 -size 1023 \
      -window 8192 -ack - -maxtime 20s -stall 30s >/dev/null 2>&1 &
    flood=$!
    # The healthy clients start once the flood is connected: bounded, not timed.
    for _ in $(seq 1 50); do
      [ "$(ss -Htn state established "( sport = :19500 )" | wc -l)" -ge 1 ] && break
      sleep 0.1
    done
    "$load" -mode tcp -addr 127.0.0.1:19500 -framing lf -c 4 -m 2000000 -size 64 -ack - -maxtime 7s \
      -label "down=$down|run=$run" >"$out/healthy-$down-$run.json" 2>/dev/null &
    healthy=$!
    sleep 2 # the flood runs 2 s before its link goes down: part of the case, not a wait
    [ "$down" = 1 ] && ip -n "$ns" link set wpvanish1 down
    wait "$healthy" || true # the 7 s bound ends it with messages unsent, which is expected
    kill "$flood" 2>/dev/null || true
    wait "$flood" 2>/dev/null || true
    python3 - "$out/healthy-$down-$run.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("{}: healthy clients {:,} answered, {} wrong, p99 {:,.0f} µs, longest wait {:,.0f} µs".format(
    r["label"], r["acked"], r["bad_acks"], r["lat_us"]["p99"], r["lat_us"]["max"]))
PY
  done
done
