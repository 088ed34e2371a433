# Sourced by bench/compare-memcached.sh, bench/memory-compare.sh and bench/profile-server.sh: the load sampler and
# the EXIT trap, waiting for a server started in the background, stopping one, memcaslap's flags. The scripts keep the
# PIDs of the servers they started in PIDS.

# begin_run <suffix>: makes OUT=bench/results/<UTC stamp><suffix>, copies the script's output to OUT/console.log,
# samples the load average every 30 s into OUT/load.txt (for at most 12 h), starts PIDS empty, and sets an EXIT
# trap that stops the sampler and every server still in PIDS.
begin_run() {
  OUT="bench/results/$(date -u +%Y%m%d-%H%M%S)$1"
  mkdir -p "$OUT"
  exec > >(tee -a "$OUT/console.log") 2>&1
  ( for _ in $(seq 1 1440); do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done ) \
    > "$OUT/load.txt" &
  SAMPLER=$!
  PIDS=()
  trap cleanup EXIT
}

cleanup() {
  kill "$SAMPLER" 2>/dev/null || true
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done   # only servers this script started and did not stop
  # Not a bare "wait": that would also wait for the tee behind this script's own output, forever.
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}

step() { echo; echo "=== $* ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"; }
has() { [[ " $STEPS " == *" $1 "* ]]; }
# caslap_flags <proto>: CASLAP_FLAGS (extra memcaslap flags, e.g. "-d 20"), plus --binary for the binary protocol.
caslap_flags() { if [[ "$1" == binary ]]; then echo "${CASLAP_FLAGS:-} --binary"; else echo "${CASLAP_FLAGS:-}"; fi; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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
