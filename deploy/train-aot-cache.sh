#!/usr/bin/env bash
# Trains a Java 25 AOT cache (JEP 514/515) for wireport: starts the service with the
# given java arguments plus -XX:AOTCacheOutput, waits until it is ready (every listener
# bound, /readyz 200), then stops it with SIGTERM; the JVM writes the cache as it exits.
# A ready service has loaded and linked what start-up needs (Tomcat on both ports, the
# Netty event loops and listeners), which a training run that stops at context refresh
# (-Dspring.context.exit=onRefresh) would not.
#
# usage: train-aot-cache.sh CACHE_FILE HTTP_PORT JAVA_ARGUMENTS...
#   e.g. train-aot-cache.sh wireport.aot 8080 -Dspring.aot.enabled=true -jar wireport.jar
# Start the cached service with the same class path and the same AOT mode:
#   java -XX:AOTCache=wireport.aot -Dspring.aot.enabled=true -jar wireport.jar
# JAVA (default: java on the PATH) names the JVM. Needs bash only (no curl), so it runs
# in the JRE image too.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CACHE_FILE HTTP_PORT JAVA_ARGUMENTS..." >&2
  exit 2
fi
cache=$1 port=$2
shift 2
"${JAVA:-java}" -XX:AOTCacheOutput="$cache" "$@" &
pid=$!
ready() {
  local status
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  read -r _ status _ <&3 || true
  exec 3<&-
  [ "$status" = 200 ]
}
deadline=$((SECONDS + 180))
until ready 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "train-aot-cache: the service exited before it was ready" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "train-aot-cache: the service was not ready within 180 s" >&2
    kill "$pid"
    exit 1
  fi
  sleep 0.2
done
kill -TERM "$pid"
# The service exits 143 on SIGTERM; the cache is written before the JVM ends.
wait "$pid" || true
if [ ! -s "$cache" ]; then
  echo "train-aot-cache: no cache written to $cache" >&2
  exit 1
fi
echo "train-aot-cache: wrote $cache ($(du -h "$cache" | cut -f1))"
