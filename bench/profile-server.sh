#!/usr/bin/env bash
# Where the server's time and allocation go under memcached's own benchmark: one server started as users start it
# (./cuckoocache, so the launcher's JDK, collector and transport), recorded with JDK Flight Recorder while memcaslap
# drives it; then `jfr view` tables of the hot methods and of allocation by class and by site, and each thread's user
# and kernel CPU over the measured runs beside memcached's (-t 1 or 2, same load). Writes everything into
# bench/results/<UTC stamp>-profile/.
#
#   bench/profile-server.sh                           # text then binary, 90% get / 10% set, single mode
#   MODE=smp PROFILE_OPS=1000000 bench/profile-server.sh
#   CASLAP_FLAGS="-d 20" bench/profile-server.sh       # 20-key multi-gets
#
# Bounded: a warm-up run and one measured run per protocol, each a fixed -x count, on 127.0.0.1 only. Never part of
# the build, the tests or CI. Needs a JDK 21+ `jfr` (for `jfr view`): JFR_TOOL, else the launcher's JDK's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=servers.sh
source bench/servers.sh

MODE="${MODE:-single}"                   # single, or smp (-t 2)
MEM="${MEM:-1024}"
CONC="${CONC:-32}"
PROFILE_OPS="${PROFILE_OPS:-600000}"    # operations per measured memcaslap run
CASLAP_FLAGS="${CASLAP_FLAGS:-}"
CC_ARGS="${CC_ARGS:-}"
PROTOCOLS="${PROTOCOLS:-text binary}"
MEMCASLAP="${MEMCASLAP:-/usr/bin/memcaslap}"
MEMCACHED="${MEMCACHED:-/usr/bin/memcached}"

begin_run "-profile"
[[ -x "$MEMCASLAP" ]] || { echo "needs $MEMCASLAP (apt-get install libmemcached-tools)" >&2; exit 69; }
[[ -f server/target/cuckoocache.jar ]] || ./mvnw -B -q -DskipTests package -pl server -am

port="$(free_port)"
threads=(--mode=single); [[ "$MODE" == smp ]] && threads=(--mode=smp -t 2)
step "cuckoocache ${threads[*]} $CC_ARGS on $port, JFR (profile settings, DebugNonSafepoints)"
# The recording starts after the warm-up (jcmd JFR.start below), so JIT compilation of the first runs stays out.
CUCKOOCACHE_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints ${CUCKOOCACHE_JAVA_OPTS:-}" \
  ./cuckoocache -p "$port" -m "$MEM" "${threads[@]}" $CC_ARGS > "$OUT/server.log" 2>&1 &
pid=$!
PIDS+=("$pid")
await_listen "$pid" "$port" cuckoocache "$OUT/server.log"
head -1 "$OUT/server.log"
java_bin="$(readlink -f "/proc/$pid/exe")"
jdk="$(dirname "$(dirname "$java_bin")")"
JFR_TOOL="${JFR_TOOL:-$jdk/bin/jfr}"

# caslap <port> <proto> <output file>: one bounded memcaslap run (-x PROFILE_OPS operations).
caslap() {
  # shellcheck disable=SC2046
  timeout 600 "$MEMCASLAP" -s "127.0.0.1:$1" -T 1 -c "$CONC" -x "$PROFILE_OPS" $(caslap_flags "$2") > "$3" 2>&1
}
for proto in $PROTOCOLS; do caslap "$port" "$proto" "$OUT/warmup-$proto.txt"; done
# thread_ticks <pid>: "<thread name> <user ticks> <kernel ticks>" per thread, threads of one name summed.
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' _ < "$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{ print $12, $13 }')"
  done | awk '{ u[$1] += $2; s[$1] += $3 } END { for (n in u) print n, u[n], s[n] }' | sort
}
# cpu_split <before> <after> <ops>: per thread whose CPU moved, user and kernel microseconds per operation.
cpu_split() {
  join <(sort "$1") <(sort "$2") | awk -v ops="$3" -v hz="$(getconf CLK_TCK)" '
    { du = $4 - $2; ds = $5 - $3; if (du + ds > 0) { printf "  %-28s user %5.2f  kernel %5.2f us/op\n", $1, du * 1e6 / hz / ops, ds * 1e6 / hz / ops; tu += du; ts += ds } }
    END { printf "  %-28s user %5.2f  kernel %5.2f us/op\n", "(all)", tu * 1e6 / hz / ops, ts * 1e6 / hz / ops }'
}

"$jdk/bin/jcmd" "$pid" JFR.start name=profile settings=profile jdk.ExecutionSample#period=1ms filename="$OUT/server.jfr" > /dev/null
thread_ticks "$pid" > "$OUT/ticks-before.txt"
for proto in $PROTOCOLS; do
  step "memcaslap $proto -c $CONC -x $PROFILE_OPS $(caslap_flags "$proto")"
  caslap "$port" "$proto" "$OUT/caslap-$proto.txt"
  grep '^Run time' "$OUT/caslap-$proto.txt"
done
thread_ticks "$pid" > "$OUT/ticks-after.txt"
"$jdk/bin/jcmd" "$pid" JFR.stop name=profile > /dev/null
stop_server "$pid"
runs=$(wc -w <<< "$PROTOCOLS")

if [[ -x "$MEMCACHED" ]]; then
  mc_threads=1; [[ "$MODE" == smp ]] && mc_threads=2
  port="$(free_port)"
  step "memcached -t $mc_threads on $port, the same runs (no recording)"
  "$MEMCACHED" -U 0 -l 127.0.0.1 -p "$port" -m "$MEM" -t "$mc_threads" -u nobody > "$OUT/memcached.log" 2>&1 &
  mc=$!
  PIDS+=("$mc")
  await_listen "$mc" "$port" memcached "$OUT/memcached.log"
  for proto in $PROTOCOLS; do caslap "$port" "$proto" /dev/null; done
  thread_ticks "$mc" > "$OUT/memcached-ticks-before.txt"
  for proto in $PROTOCOLS; do
    caslap "$port" "$proto" "$OUT/memcached-caslap-$proto.txt"
    grep '^Run time' "$OUT/memcached-caslap-$proto.txt"
  done
  thread_ticks "$mc" > "$OUT/memcached-ticks-after.txt"
  stop_server "$mc"
fi

{
  echo "CPU per operation by thread over the measured runs ($runs x $PROFILE_OPS operations)"
  echo "cuckoocache:"; cpu_split "$OUT/ticks-before.txt" "$OUT/ticks-after.txt" "$((runs * PROFILE_OPS))"
  if [[ -f "$OUT/memcached-ticks-after.txt" ]]; then
    echo "memcached:"
    cpu_split "$OUT/memcached-ticks-before.txt" "$OUT/memcached-ticks-after.txt" "$((runs * PROFILE_OPS))"
  fi
} > "$OUT/cpu-by-thread.txt"

for view in hot-methods allocation-by-class allocation-by-site gc; do
  "$JFR_TOOL" view --width 160 "$view" "$OUT/server.jfr" > "$OUT/$view.txt" 2>&1 || true
done
step "CPU by thread"; cat "$OUT/cpu-by-thread.txt"
step "hot methods"; head -30 "$OUT/hot-methods.txt"
step "allocation by site"; head -25 "$OUT/allocation-by-site.txt"
echo; echo "Results in $OUT"
