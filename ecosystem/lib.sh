# Shared by the ecosystem checks (sourced, not run): start ./cuckoocache instances and helper processes on free
# loopback ports, and kill every one of them when the sourcing script exits.

eco_pids=()
eco_tmp="$(mktemp -d)"

eco_cleanup() {
  local p
  for p in "${eco_pids[@]:-}"; do
    [[ -n "$p" ]] && kill "$p" 2>/dev/null || true
  done
  for p in "${eco_pids[@]:-}"; do
    [[ -n "$p" ]] && wait "$p" 2>/dev/null || true
  done
  rm -rf "$eco_tmp"
}
trap eco_cleanup EXIT

# A free loopback TCP port (the kernel's pick; it is free again once printed, so a peer can bind it next).
eco_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts ./cuckoocache -p 0 -l 127.0.0.1 "$@" and sets eco_port to the port its startup line names, eco_log to its
# output file.
eco_start_cuckoocache() {
  local log pid
  log="$eco_tmp/cuckoocache-${#eco_pids[@]}.log"
  eco_log="$log"
  : >"$log" # exists before the first read below, whenever the background job gets to open it
  ./cuckoocache -p 0 -l 127.0.0.1 "$@" >"$log" 2>&1 &
  pid=$!
  eco_pids+=("$pid")
  eco_port=""
  for _ in $(seq 1 300); do
    eco_port="$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)"
    [[ -n "$eco_port" ]] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "cuckoocache did not start:" >&2
  cat "$log" >&2
  return 1
}

# Waits up to 10 s until something accepts connections on 127.0.0.1:$1.
eco_await_port() {
  python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 10
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("nothing listens on 127.0.0.1:" + sys.argv[1])
        time.sleep(0.1)
PY
}

# Runs metrics_check.py's traffic against 127.0.0.1:$1 (output in $eco_tmp/traffic.out) and waits up to 30 s for it
# to finish; its connections stay open while this shell holds the FIFO on its standard input (descriptor 3, until
# the sourcing script exits). $2 names the check in the error.
eco_hold_traffic() {
  mkfifo "$eco_tmp/hold"
  (cd ecosystem && exec python3 metrics_check.py traffic "$1") <"$eco_tmp/hold" >"$eco_tmp/traffic.out" &
  eco_pids+=("$!")
  exec 3>"$eco_tmp/hold"
  for _ in $(seq 1 300); do
    grep -q "traffic done" "$eco_tmp/traffic.out" && return 0
    sleep 0.1
  done
  echo "$2: the traffic did not finish" >&2
  return 1
}
