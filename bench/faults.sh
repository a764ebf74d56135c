#!/usr/bin/env bash
# What a fault costs the other clients, with every client a process of its own (in the
# test suite the clients share the service's JVM, whose pauses are theirs too). The
# packaged jar runs an echo listener configured as TcpNetworkFaultsTest's, and a storm
# listener with max-connections 5,000; 4 request/reply clients on 127.0.0.1 run for 7 s
# (the shared load tool), and 2 s in one fault starts from a network namespace of its own:
#
#   none     no fault: the service's own longest waits on this machine
#   none-go  no fault, the Go reference server instead of wireport: the machine's own
#   flood    a client floods 1 KiB messages (up to 8 MiB in flight) and reads the echoes
#   vanish   the same flood, and its link goes down 2 s in (no FIN, no RST)
#   storm    20,000 connects in two processes of 10,000, against the storm listener
#            (the healthy clients are 4 of its 5,000)
#   storm-go the same storm against the Go reference server, the healthy clients on it
#
# Linux, root; traffic stays on 127.0.0.1 and on the two ends of a veth pair made here
# (10.231.0.0/30), removed at the end. Every load is bounded by its count and time.
#
#   bench/faults.sh [JAR]      env: FAULTS ("none none-go flood vanish storm storm-go"), RUNS (2),
#                                   TOOLS, OUT (target/bench-faults), JAVA (java)
#
# Prints one line per fault and run: the healthy clients' answers, p99 and longest wait.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$root/target/wireport.jar}
faults=${FAULTS:-none none-go flood vanish storm storm-go}
runs=${RUNS:-2}
java=${JAVA:-java}
out=${OUT:-$root/target/bench-faults}
mkdir -p "$out"
tools=$("$root/bench/shared-tools.sh" "$out")
load="$tools/bin/load"
ns=wpfaults
pids=() fault_pids=()
cleanup() {
  for p in "${fault_pids[@]}" "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  ip link del wpfaults0 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add "$ns"
ip link add wpfaults0 type veth peer name wpfaults1
ip link set wpfaults1 netns "$ns"
ip addr add 10.231.0.1/30 dev wpfaults0
ip link set wpfaults0 up
ip -n "$ns" addr add 10.231.0.2/30 dev wpfaults1
ip -n "$ns" link set wpfaults1 up

. "$root/bench/lib.sh"

$java -Xmx512m -jar "$jar" --server.port=18400 --management.server.port=18401 \
  --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.enabled=false \
  --wireport.udp.listeners.seed.port=18402 --wireport.tcp.listeners.faulty.port=19500 \
  --wireport.tcp.listeners.faulty.framing=lf --wireport.tcp.listeners.faulty.reply=echo \
  --wireport.tcp.listeners.faulty.log-level=off --wireport.tcp.listeners.faulty.idle-timeout=30s \
  --wireport.tcp.listeners.faulty.write-timeout=2s --wireport.tcp.listeners.faulty.keep-alive-idle=1s \
  --wireport.tcp.listeners.faulty.keep-alive-interval=1s --wireport.tcp.listeners.faulty.keep-alive-count=2 \
  --wireport.tcp.listeners.storm.port=19501 --wireport.tcp.listeners.storm.framing=lf \
  --wireport.tcp.listeners.storm.max-connections=5000 --wireport.tcp.listeners.storm.log-level=off \
  >"$out/wireport.log" 2>&1 &
pids+=("$!")
# All addresses: the storm reaches it from the namespace, as it reaches wireport.
"$tools/bin/ref-tcpserver" -framing lf -addr :19502 >/dev/null 2>&1 &
pids+=("$!")
wait_port 19500 && wait_port 19501 && wait_port 19502
# The JIT compiles the echo and ack paths first.
for port in 19500 19501; do
  "$load" -mode tcp -addr "127.0.0.1:$port" -framing lf -c 4 -m 50000 -size 64 -ack - -maxtime 30s >/dev/null 2>&1
done

start_fault() { # fault: starts it from the namespace, in the background
  case $1 in
    flood | vanish)
      ip netns exec "$ns" "$load" -mode tcp -addr 10.231.0.1:19500 -framing lf -c 1 -m 100000000 -size 1023 \
        -window 8192 -ack - -maxtime 20s -stall 30s >/dev/null 2>&1 &
      fault_pids+=("$!") ;;
    storm | storm-go)
      local port=19501
      [ "$1" = storm-go ] && port=19502
      for _ in 1 2; do
        ip netns exec "$ns" "$load" -mode tcp-hold -addr "10.231.0.1:$port" -framing lf -c 10000 -dialc 200 \
          -hold 1s -timeout 5s -maxtime 30s >/dev/null 2>&1 &
        fault_pids+=("$!")
      done ;;
  esac
}

for run in $(seq 1 "$runs"); do
  for fault in $faults; do
    port=19500
    case $fault in
      none | flood | vanish) ;;
      none-go | storm-go) port=19502 ;;
      storm) port=19501 ;;
      *) echo "unknown fault $fault" >&2; exit 2 ;;
    esac
    ip -n "$ns" link set wpfaults1 up
    # The flood runs from the start; the healthy clients start once it is connected.
    if [ "$fault" = flood ] || [ "$fault" = vanish ]; then
      start_fault "$fault"
      for _ in $(seq 1 50); do
        [ "$(ss -Htn state established "( sport = :19500 )" | wc -l)" -ge 1 ] && break
        sleep 0.1
      done
    fi
    result="$out/healthy-$fault-$run.json"
    "$load" -mode tcp -addr "127.0.0.1:$port" -framing lf -c 4 -m 2000000 -size 64 -ack - -maxtime 7s \
      -label "$fault|run=$run" >"$result" 2>/dev/null &
    healthy=$!
    sleep 2 # the fault comes 2 s into the healthy clients' 7 s: part of the case, not a wait
    case $fault in
      vanish) ip -n "$ns" link set wpfaults1 down ;;
      storm | storm-go) start_fault "$fault" ;;
    esac
    wait "$healthy" || true # the 7 s bound ends it with messages unsent, which is expected
    # Whatever the fault left running ends here, before the next case.
    for p in "${fault_pids[@]}"; do
      kill "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    done
    fault_pids=()
    python3 - "$result" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("{}: healthy clients {:,} answered, {} wrong, p99 {:,.0f} µs, longest wait {:,.0f} µs".format(
    r["label"], r["acked"], r["bad_acks"], r["lat_us"]["p99"], r["lat_us"]["max"]))
PY
  done
done
