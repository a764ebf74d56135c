#!/usr/bin/env bash
# wireport's TLS listener on BoringSSL (netty-tcnative) against the same jar on the JDK's
# TLS (-Dio.netty.handler.ssl.noOpenSsl=true), two servers side by side, runs interleaved:
# request/reply 16 x 1 and pipelined 16 x 32, REPS times; then the medians.
#
#   bench/tls/providers.sh TOOLS_DIR [OUT_DIR]   env: REPS (3), JAVA (java), M_RR16, M_PIPE
#
# TOOLS_DIR: the shared benchmark tools, built, with bench/tls/build.sh run on them.
# Needs target/wireport.jar and openssl. All traffic goes to 127.0.0.1; every run is
# bounded by its message count and -maxtime.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=${1:?usage: providers.sh TOOLS_DIR [OUT_DIR]}
out=${2:-$root/target/bench-tls-providers}
reps=${REPS:-3}
java=${JAVA:-java}
m_rr16=${M_RR16:-15000} m_pipe=${M_PIPE:-150000}
mkdir -p "$out"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
results="$out/results.jsonl"
: >"$results"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
start() { # name tls-port base-port java-options...
  local name=$1 port=$2 base=$3; shift 3
  $java -Xmx512m "$@" -jar "$root/target/wireport.jar" --server.port=$base --management.server.port=$((base + 1)) \
    --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.enabled=false \
    --wireport.udp.listeners.seed.port=$((base + 2)) \
    --spring.ssl.bundle.pem.bench.keystore.certificate="file:$out/tls.crt" \
    --spring.ssl.bundle.pem.bench.keystore.private-key="file:$out/tls.key" \
    --wireport.tcp.listeners.tls.port="$port" --wireport.tcp.listeners.tls.framing=lf \
    --wireport.tcp.listeners.tls.ssl.bundle=bench >"$out/$name.log" 2>&1 &
  pids+=("$!")
  eval "pid_$name=$!"
}
start boringssl 31443 31080
start jdk 31444 31090 -Dio.netty.handler.ssl.noOpenSsl=true
for name in boringssl jdk; do
  for _ in $(seq 1 600); do grep -q "Started WireportApplication" "$out/$name.log" && break; sleep 0.2; done
  grep -q "TLS (OPENSSL)\|TLS (JDK)" "$out/$name.log" || { echo "$name did not start: see $out/$name.log" >&2; exit 1; }
done
grep -q "TLS (OPENSSL)" "$out/boringssl.log" || { echo "BoringSSL did not load: see $out/boringssl.log" >&2; exit 1; }
load() { # name port case messages window [label]
  "$tools/bin/tls-load" -tls "$out/tls.crt" -addr "127.0.0.1:$2" -framing lf -size 64 -c 16 -m "$4" -window "$5" \
    -maxtime 60s ${6:+-pid "$(eval echo "\$pid_$1")" -label "$6"}
}
for rep in $(seq 1 "$reps"); do
  for impl in "boringssl 31443" "jdk 31444"; do
    read -r name port <<<"$impl"
    if [ "$rep" = 1 ]; then # one unrecorded pass of each case, for the JIT
      load "$name" "$port" rr16 "$m_rr16" 1 >/dev/null 2>&1 || true
      load "$name" "$port" pipe16 "$m_pipe" 32 >/dev/null 2>&1 || true
    fi
    load "$name" "$port" rr16 "$m_rr16" 1 "$name|tls-lf-rr16|pin=none|rep=$rep" >>"$results"
    sleep 1
    load "$name" "$port" pipe16 "$m_pipe" 32 "$name|tls-lf-pipe16|pin=none|rep=$rep" >>"$results"
    sleep 1
  done
done
"$tools/summarize.py" "$results" | tee "$out/summary.md"
