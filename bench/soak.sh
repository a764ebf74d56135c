#!/usr/bin/env bash
# Load and soak: 10,000 TCP connections held with a message on each every few seconds,
# sustained request/reply at full speed with latency per round of about a minute, and
# 1,000,000 UDP datagrams from 32 senders while the health endpoint is polled. The
# service runs with -Xmx512m. Every phase is bounded in count and time; all traffic
# goes to 127.0.0.1. Not part of CI: it takes about 12 minutes.
#
#   bench/soak.sh [OUT_DIR]      env: JAVA (java), HOLD (5m), CONNECTIONS (10000), ROUNDS (5)
#
# Needs target/wireport.jar (./mvnw -B package -DskipTests) and Go (apt-get install golang-go).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/soak}
java=${JAVA:-java}
mkdir -p "$out"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
command -v go >/dev/null || { apt-get update -qq && apt-get install -y -qq golang-go >/dev/null; }
(cd "$root/bench/soak" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 go build -o "$out/soak" .)

$java -Xmx512m -jar "$root/target/wireport.jar" --server.port=18080 --management.server.port=18081 \
  --wireport.tcp.listeners.seed.port=19000 --wireport.tcp.listeners.framed.port=19080 \
  --wireport.tcp.listeners.framed.log-level=off --wireport.tcp.listeners.framed.max-connections=20000 \
  --wireport.udp.listeners.seed.port=18090 --wireport.udp.listeners.seed.log-level=off \
  --wireport.udp.listeners.seed.reply-rate=100000000 --wireport.udp.listeners.seed.reply-burst=100000000 \
  >"$out/wireport.log" 2>&1 &
wp=$!
trap 'kill $wp 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fsS http://127.0.0.1:18080/readyz >/dev/null 2>&1 && break; sleep 0.2; done
fds_before=$(ls /proc/$wp/fd | wc -l)
echo "{\"phase\":\"start\",\"fds\":$fds_before}" | tee "$out/soak.jsonl"

echo "# ${CONNECTIONS:-10000} connections held for ${HOLD:-5m}" >&2
"$out/soak" -addr 127.0.0.1:19080 -c "${CONNECTIONS:-10000}" -duration "${HOLD:-5m}" \
  -metrics http://127.0.0.1:18081/actuator/metrics -pid "$wp" | tee -a "$out/soak.jsonl"

# The clients have left: wait (bounded) until the server has closed them all, then count.
for _ in $(seq 1 300); do
  active=$(curl -s 'http://127.0.0.1:18081/actuator/metrics/wireport.tcp.connections.active?tag=listener:framed' \
    | grep -o '"value":[0-9.]*' | cut -d: -f2)
  [ "${active%.*}" = 0 ] && break
  sleep 0.2
done
threads=$(curl -s http://127.0.0.1:18081/actuator/metrics/jvm.threads.live | grep -o '"value":[0-9.]*' | cut -d: -f2)
echo "{\"phase\":\"after-clients-left\",\"fds\":$(ls /proc/$wp/fd | wc -l),\"threads\":${threads%.*}}" \
  | tee -a "$out/soak.jsonl"

echo "# sustained request/reply, 16 connections, ${ROUNDS:-5} rounds of about a minute" >&2
for round in $(seq 1 "${ROUNDS:-5}"); do
  echo "round $round" >>"$out/sustained.txt"
  $java -jar "$root/target/wireport.jar" bench tcp --port 19080 --connections 16 --messages 480000 \
    --max-time 120s | tee -a "$out/sustained.txt"
done

echo "# 1,000,000 UDP datagrams from 32 senders, health polled" >&2
: >"$out/health.txt"
( for _ in $(seq 1 600); do curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1:18080/readyz >>"$out/health.txt"; sleep 0.2; done ) &
poller=$!
$java -jar "$root/target/wireport.jar" bench udp --port 18090 --connections 32 --messages 31250 \
  --timeout 2s --max-time 300s | tee "$out/udp.txt" || true
kill $poller 2>/dev/null || true
curl -s http://127.0.0.1:18081/actuator/prometheus | grep -E '^wireport_udp_(datagrams|replies)_[a-z_]+_total' | tee "$out/udp-counters.txt"
echo "health: $(sort "$out/health.txt" | uniq -c | tr '\n' ' ')" | tee -a "$out/udp.txt"
