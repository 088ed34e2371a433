# Sourced by bench/compare-memcached.sh and bench/memory-compare.sh: waiting for a server started in the
# background, and stopping one. Both scripts keep the PIDs of what they started in PIDS, which their EXIT traps stop.

# await_listen <pid> <port> <what> <log>: returns once 127.0.0.1:<port> accepts a connection; exits the script if the
# process died or after 30 s.
await_listen() {
  local pid="$1" port="$2" what="$3" log="$4"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { echo "$what exited at start:"; cat "$log"; exit 1; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$what did not listen on $port within 30 s" >&2
  exit 1
}

# stop_server <pid>: stops it, waits for it, and drops it from PIDS.
stop_server() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
