#!/usr/bin/env bash
# The standard matrix with nothing but the packaged jar: starts target/wireport.jar, then
# drives it with the jar's own `bench` command (TCP lf and length-header-4 request/reply
# with 1, 16 and 256 connections, pipelined 16 x 32; UDP request/reply with 1 and 16
# senders), REPS times, and prints one line per run and a median per case. Every run is
# bounded by its message count and by --max-time; all traffic goes to 127.0.0.1.
#
#   ./mvnw -B package -DskipTests && bench/run.sh [OUT_DIR]    env: REPS (3), JAVA (java), JAVA_OPTS
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/bench-own}
reps=${REPS:-3}
java=${JAVA:-java}
jar="$root/target/wireport.jar"
[ -f "$jar" ] || { echo "no $jar: run ./mvnw -B package -DskipTests first" >&2; exit 2; }
mkdir -p "$out"
runs="$out/runs.tsv"
printf 'case\trep\tmsg_per_s\tp50_us\tp99_us\tp999_us\n' >"$runs"

# shellcheck disable=SC2086
$java -Xmx512m ${JAVA_OPTS:-} -jar "$jar" --server.port=0 --management.server.port=0 \
  --wireport.tcp.listeners.seed.enabled=false --wireport.tcp.listeners.framed.enabled=false \
  --wireport.tcp.listeners.lf.port=19000 --wireport.tcp.listeners.lf.framing=lf \
  --wireport.tcp.listeners.len4.port=19004 --wireport.tcp.listeners.len4.framing=length-header-4 \
  --wireport.udp.listeners.seed.port=18090 \
  --wireport.udp.listeners.seed.reply-rate=100000000 --wireport.udp.listeners.seed.reply-burst=100000000 \
  >"$out/wireport.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
. "$root/bench/lib.sh"
wait_started "$server" "$out/wireport.log"

bench() { # case rep args...: one bounded run, its figures appended to runs.tsv
  local name=$1 rep=$2; shift 2
  local report
  report=$($java -jar "$jar" bench "$@" --max-time 60s) || { echo "$report" >&2; echo "$name: replies lost" >&2; exit 1; }
  local rate p50 p99 p999
  rate=$(sed -n 's/.*rate: \([0-9]*\) msg\/s.*/\1/p' <<<"$report")
  read -r p50 p99 p999 < <(sed -n 's/.*p50=\([0-9]*\)us p99=\([0-9]*\)us p99.9=\([0-9]*\)us.*/\1 \2 \3/p' <<<"$report")
  [ "$rep" = warm ] && return
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rep" "$rate" "$p50" "$p99" "$p999" | tee -a "$runs"
}
matrix() { # rep
  for framing in lf length-header-4; do
    port=19000; [ "$framing" = lf ] || port=19004
    bench "tcp-$framing-rr1" "$1" tcp --port $port --framing $framing --connections 1 --messages 60000
    bench "tcp-$framing-rr16" "$1" tcp --port $port --framing $framing --connections 16 --messages 15000
    bench "tcp-$framing-rr256" "$1" tcp --port $port --framing $framing --connections 256 --messages 1000
    bench "tcp-$framing-pipe16" "$1" tcp --port $port --framing $framing --connections 16 --messages 150000 \
      --window 32
  done
  bench udp-rr1 "$1" udp --port 18090 --connections 1 --messages 20000
  bench udp-rr16 "$1" udp --port 18090 --connections 16 --messages 20000
}
matrix warm # the JIT compiles the hot paths first; not recorded
for rep in $(seq 1 "$reps"); do matrix "$rep"; done

echo
echo "| case | msg/s median | min–max | p50 µs | p99 µs | p99.9 µs |"
echo "|---|---|---|---|---|---|"
awk -F'\t' 'NR > 1 { n[$1]++; r[$1, n[$1]] = $3; a[$1] = a[$1] " " $4; b[$1] = b[$1] " " $5; c[$1] = c[$1] " " $6;
  if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  function median(s,   v, m, i, j, t) { m = split(s, v, " "); for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
    if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }; return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  END { for (i = 1; i <= k; i++) { s = ""; lo = ""; hi = ""; key = order[i]
    for (j = 1; j <= n[key]; j++) { x = r[key, j] + 0; s = s " " x; if (lo == "" || x < lo) lo = x; if (hi == "" || x > hi) hi = x }
    printf "| %s | %d | %d–%d | %d | %d | %d |\n", key, median(s), lo, hi, median(a[key]), median(b[key]), median(c[key]) } }' \
  "$runs" | tee "$out/summary.md"
