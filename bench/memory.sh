#!/usr/bin/env bash
# Resident memory of one JVM configuration, as the held-connection case of compare.sh
# sees it: the jar started with -Xmx512m and the given JVM options, its resident size
# before any load, after a load like the comparison's (pipelined 16 x 32 and 4 x 512,
# request/reply with 256 connections, /go with wrk for 10 s), and with 10,000
# connections held (one message each), with the shared load tool. All traffic goes to
# 127.0.0.1; every load is bounded by its count and a time limit.
#
#   bench/memory.sh LABEL [JVM options...]
#     env: JAR (target/wireport.jar), JAVA (java), TOOLS (a built copy of the shared
#          benchmark tools; default: copied from ../shared/bench and built), OUT
#          (target/bench-memory)
#
# Prints one line: LABEL, then the three resident sizes in MiB.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
label=${1:?usage: memory.sh LABEL [JVM options...]}
shift
jar=${JAR:-$root/target/wireport.jar}
java=${JAVA:-java}
out=${OUT:-$root/target/bench-memory}
mkdir -p "$out"
tools=$("$root/bench/shared-tools.sh" "$out")
load="$tools/bin/load"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. "$root/bench/lib.sh"
# 10,000 held connections need that many descriptors.
ulimit -n "$(ulimit -Hn)"

jvm_options=$(shipped_jvm_options "$java")
# shellcheck disable=SC2086
"$java" -Xmx512m $jvm_options "$@" -jar "$jar" --server.port=18280 --management.server.port=18281 \
  --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.port=19000 \
  --wireport.udp.listeners.seed.port=18293 >"$out/$label.log" 2>&1 &
wp=$!
trap 'kill "$wp" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
wait_started "$wp" "$out/$label.log"
rss() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$wp/status"; }
idle=$(rss)
"$load" -mode tcp -addr 127.0.0.1:19000 -framing lf -size 64 -c 16 -m 300000 -window 32 -maxtime 60s >/dev/null 2>&1
"$load" -mode tcp -addr 127.0.0.1:19000 -framing lf -size 64 -c 4 -m 1200000 -window 512 -maxtime 60s >/dev/null 2>&1
"$load" -mode tcp -addr 127.0.0.1:19000 -framing lf -size 64 -c 256 -m 200 -maxtime 60s >/dev/null 2>&1
wrk -t2 -c64 -d10s http://127.0.0.1:18280/go >/dev/null 2>&1
loaded=$(rss)
"$load" -mode tcp-hold -addr 127.0.0.1:19000 -framing lf -c 10000 -hold 10s -pid "$wp" -label "$label" \
  >"$out/$label.hold.json" 2>/dev/null
held=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['server_rss_kb_held'] // 1024)" \
  "$out/$label.hold.json")
echo "$label: resident before any load ${idle} MiB, after the load ${loaded} MiB, 10,000 held ${held} MiB"
