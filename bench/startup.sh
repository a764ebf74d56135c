#!/usr/bin/env bash
# Start-up to ready of the packaged jar: from launching the JVM until every listener is
# bound and /readyz answers 200 (polled back to back), for each way of starting it, the
# runs interleaved (one of each in turn) so that a change in the machine's load touches
# every variant alike.
#
#   plain     java -jar wireport.jar
#   aot-mode  java -Dspring.aot.enabled=true -jar wireport.jar (Spring AOT's generated code)
#   cache     java -XX:AOTCache=plain.aot -jar wireport.jar (Java 25+)
#   fast      java -XX:AOTCache=fast.aot -Dspring.aot.enabled=true -jar wireport.jar (Java 25+)
#
# The jar is extracted first (java -Djarmode=tools extract), as the container image runs
# it: an AOT cache needs a class path of plain jars. Caches are trained by
# deploy/train-aot-cache.sh, each in the AOT mode it is used in.
#
# usage: bench/startup.sh [RUNS]   (default 5)
# JAVA: the JVM (default: java on the PATH); JAR: the jar (default: target/wireport.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
java=${JAVA:-java}
jar=$(realpath "${JAR:-target/wireport.jar}")
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_ports="$PWD/bench/free-ports"
service_args() { # http management tcp-seed tcp-framed udp-seed
  echo "--server.port=$1 --management.server.port=$2 --wireport.tcp.listeners.seed.port=$3" \
    "--wireport.tcp.listeners.framed.port=$4 --wireport.udp.listeners.seed.port=$5" \
    "--wireport.tcp.listeners.seed.log-level=off --wireport.tcp.listeners.framed.log-level=off"
}

version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
feature=${version%%.*}
"$java" -Djarmode=tools -jar "$jar" extract --destination "$work/app" >/dev/null
cd "$work/app"
name=$(basename "$jar")
variants=(plain aot-mode)
declare -A flags=([plain]="" [aot-mode]="-Dspring.aot.enabled=true")
if ((feature >= 25)); then
  variants+=(cache fast)
  flags[cache]="-XX:AOTCache=$work/plain.aot"
  flags[fast]="-XX:AOTCache=$work/fast.aot -Dspring.aot.enabled=true"
  read -r -a ports <<<"$("$free_ports" 5)"
  # shellcheck disable=SC2046
  JAVA=$java "$OLDPWD/deploy/train-aot-cache.sh" "$work/plain.aot" "${ports[0]}" \
    -jar "$name" $(service_args "${ports[@]}") >"$work/train-plain.log" 2>&1
  read -r -a ports <<<"$("$free_ports" 5)"
  # shellcheck disable=SC2046
  JAVA=$java "$OLDPWD/deploy/train-aot-cache.sh" "$work/fast.aot" "${ports[0]}" \
    -Dspring.aot.enabled=true -jar "$name" $(service_args "${ports[@]}") >"$work/train-fast.log" 2>&1
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }
measure() { # variant: prints milliseconds to ready
  local ports start
  read -r -a ports <<<"$("$free_ports" 5)"
  start=$(now_ms)
  # shellcheck disable=SC2086,SC2046
  "$java" ${flags[$1]} -jar "$name" $(service_args "${ports[@]}") >"$work/$1.log" 2>&1 &
  pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:${ports[0]}/readyz" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "startup: $1 exited before it was ready:" >&2; tail -20 "$work/$1.log" >&2; exit 1
    fi
  done
  echo $(($(now_ms) - start))
  kill -TERM "$pid"; wait "$pid" || true; pid=
}

echo "startup: Java $version, $runs runs of ${variants[*]}, load before: $(uptime | sed 's/.*load average: //')"
declare -A results
for ((run = 1; run <= runs; run++)); do
  for variant in "${variants[@]}"; do
    results[$variant]+="$(measure "$variant") "
  done
done
for variant in "${variants[@]}"; do
  printf '%-9s %s ms  (median %s ms)\n' "$variant" "${results[$variant]}" \
    "$(tr ' ' '\n' <<<"${results[$variant]}" | grep . | sort -n | sed -n "$(((runs + 1) / 2))p")"
done
echo "startup: load after: $(uptime | sed 's/.*load average: //')"
