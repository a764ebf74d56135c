# Waits the benchmark scripts share; sourced by them, not run.

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
