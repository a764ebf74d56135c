# Waits, clean-up and TLS set-up the benchmark scripts share; sourced by them, not run.

stop_pids() { # stops every process in the array pids (the servers a script started), on exit
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

tls_setup() { # dir tools: a self-signed P-256 certificate for localhost and 127.0.0.1 in
  # dir (tls.crt, tls.key), and the TLS copies of the shared tools built into tools/bin
  # (bench/tls: tls-ref-tcpserver and tls-load)
  mkdir -p "$1"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$1/tls.key" -out "$1/tls.crt" 2>/dev/null
  "$(dirname "${BASH_SOURCE[0]}")/tls/build.sh" "$2" >/dev/null
}

tls_listener_args() { # dir port: sets the array tls_args to wireport's arguments for a TLS
  # listener named tls on 127.0.0.1's port, lf framing, with dir's certificate and key as
  # the SSL bundle bench (tls_setup makes them)
  tls_args=(--spring.ssl.bundle.pem.bench.keystore.certificate="file:$1/tls.crt"
    --spring.ssl.bundle.pem.bench.keystore.private-key="file:$1/tls.key" --wireport.tcp.listeners.tls.port="$2"
    --wireport.tcp.listeners.tls.framing=lf --wireport.tcp.listeners.tls.ssl.bundle=bench)
}

shipped_jvm_options() { # java: the options the container image starts its JVM with that a
  # plain `java -jar` lacks, for that JVM: from Java 24 on, the one that lets Netty use
  # sun.misc.Unsafe (20-25 % of a pipelined message's CPU on Java 25: docs/performance.md)
  local version
  version=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${version%%.*}" -ge 24 ]; then echo --sun-misc-unsafe-memory-access=allow; fi
}

wait_port() { # port: bounded wait until something listens on 127.0.0.1:port
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "nothing listens on $1" >&2
  return 1
}

wait_started() { # pid log: bounded wait until that wireport says it started; something
  # else already on its ports would be measured instead, so its own log must say so.
  for _ in $(seq 1 300); do
    kill -0 "$1" 2>/dev/null || { echo "wireport did not start: see $2" >&2; return 1; }
    grep -q "Started WireportApplication" "$2" && return 0
    sleep 0.2
  done
  echo "wireport did not start within 60 s: see $2" >&2
  return 1
}

warm_until_steady() { # log command...: runs a bounded load command that prints one JSON
  # line (the shared load tool, httpbench.py) pass after pass, until its rate stops
  # rising: a pass no more than 5 % above the best one before it ends the warm-up, after
  # 3 passes at least and WARM_MAX (8) at most. The JIT compiles the paths under load,
  # and with the load on both cores its compiler threads took 4 or 5 pipelined passes
  # before the rate stopped climbing. Each pass's JSON line, with its number, goes to log.
  local log=$1 pass rate best=0
  shift
  for pass in $(seq 1 "${WARM_MAX:-8}"); do
    rate=$("$@" 2>/dev/null | python3 -c '
import json, sys
line = sys.stdin.readline()
result = json.loads(line) if line.strip() else {}
result["warmup_pass"] = int(sys.argv[1])
with open(sys.argv[2], "a") as log:
    log.write(json.dumps(result, ensure_ascii=False) + "\n")
print(int(result.get("msgs_per_s", 0)))' "$pass" "$log") || rate=0
    if [ "$pass" -ge 3 ] && [ $((rate * 100)) -le $((best * 105)) ]; then return 0; fi
    if [ "$rate" -gt "$best" ]; then best=$rate; fi
  done
}
