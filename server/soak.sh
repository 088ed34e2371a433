#!/usr/bin/env bash
# server/soak.sh [seconds] [Soak options]: starts ./cuckoocache in SMP mode on a free loopback port and runs the
# verifying soak (io.cuckoocache.server.soak.Soak, in the server's test classes) against it for that many seconds
# (default 120). Prints the soak's report, the server's resident memory (now and peak) and whether it is still up.
# Exit status: the soak's (0 only with no violations, errors or leaked connections), 1 if the server died.
# Environment: SOAK_SERVER_ARGS, extra server flags (default "-m 64"); JAVA_HOME as for ./cuckoocache.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-120}"
shift || true
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classes="$root/server/target/test-classes"

if [[ ! -f "$classes/io/cuckoocache/server/soak/Soak.class" ]]; then
  (cd "$root" && ./mvnw -q -B -pl server -am test-compile -Djcstress.skip) >&2
fi

log="$(mktemp)"
read -r -a server_args <<<"${SOAK_SERVER_ARGS:--m 64}"
"$root/cuckoocache" -p 0 -l 127.0.0.1 --mode=smp "${server_args[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)"
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "soak: the server did not start:" >&2
  cat "$log" >&2
  exit 1
fi
head -n 1 "$log"

start=$(date +%s)
rc=0
"$java" -Xmx1g -cp "$classes" io.cuckoocache.server.soak.Soak --port="$port" --seconds="$seconds" "$@" || rc=$?
echo "soak: wall time $(($(date +%s) - start)) s"

if ! kill -0 "$pid" 2>/dev/null; then
  echo "soak: the server DIED; its output:" >&2
  cat "$log" >&2
  exit 1
fi
echo "server memory: $(grep -E '^(VmRSS|VmHWM)' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')(VmHWM = peak RSS)"
if [[ -s "$log" ]] && (($(wc -l <"$log") > 1)); then
  echo "server output after the startup line:"
  tail -n +2 "$log" | head -n 20
fi
exit "$rc"
