#!/usr/bin/env bash
# The server comparison of issue 8: cuckoocache against memcached 1.6.18 (/usr/bin/memcached) on loopback, A/B
# interleaved, ratios only. Writes every raw output into bench/results/<UTC stamp>/ and prints the ratio table; also
# writes server-compare.csv (protocol,mode,metric,cuckoocache,memcached,ratio) there.
#
#   bench/compare-memcached.sh                  # everything: ~15 min on a quiet 2-core machine (estimate; see README.md)
#   PROFILE=quick bench/compare-memcached.sh    # fewer and shorter rounds: ~5 min (estimate)
#   STEPS="caslap cpu" MODES=single bench/compare-memcached.sh   # a subset of: caslap latency memory modes
#   ROUNDS=7 OPS=500000 LAT_RATES=5000,10000,20000 bench/compare-memcached.sh   # knobs, below
#   CASLAP_FLAGS="-d 20" STEPS=caslap bench/compare-memcached.sh   # 20-key multi-gets (binary: getkq pipelines)
#   CC_ARGS=--transport=epoll JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 bench/compare-memcached.sh   # A/B a setting
#
# Steps:
#   caslap   memcaslap (libmemcached-tools), text and binary, memcached -t 1 vs --mode=single and memcached -t 2 vs
#            --mode=smp -t 2, same -m: per server one discarded warm-up run, then ROUNDS rounds of one run each
#            (order alternating A B / B A), each run a fixed -x OPS operations (memcaslap's default workload: 90% get
#            / 10% set, 64-byte keys, values up to 1 KB, -c CONC connections). Over every run the server's CPU
#            (utime+stime from /proc/PID/stat) gives CPU per operation. Reported: median ratio and min..max.
#   latency  io.cuckoocache.bench.ServerLatency (bench jar, Netty client + HdrHistogram): open loop at the fixed
#            rates LAT_RATES, latency from the intended send time; p50/p99/p99.9 of each server, same modes, with
#            a second memcached as the A/A control (the spread two identical servers show on this machine).
#   memory   io.cuckoocache.bench.MemoryFill: 100-byte values into fresh servers with -m MEM until evictions start
#            and curr_items stops rising; curr_items, and VmRSS from /proc/PID/status.
#   modes    our two modes side by side (--mode=single vs --mode=smp -t 2) with few and with many connections, then
#            their open-loop latency at the offered loads MODE_RATES.
#
# Never part of the build, the unit tests or CI. Every load is bounded (-x counts, step durations, fill bounds) and
# on 127.0.0.1 only; servers listen on free ephemeral ports and are stopped at exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=servers.sh
source bench/servers.sh

PROFILE="${PROFILE:-full}"
case "$PROFILE" in
  full)  : "${ROUNDS:=5}" "${OPS:=300000}" "${LAT_ROUNDS:=8}" "${LAT_MEASURE_MS:=2000}" "${MODE_ROUNDS:=3}" ;;
  quick) : "${ROUNDS:=2}" "${OPS:=100000}" "${LAT_ROUNDS:=2}" "${LAT_MEASURE_MS:=2000}" "${MODE_ROUNDS:=1}" ;;
  *) echo "PROFILE must be full or quick" >&2; exit 2 ;;
esac
STEPS="${STEPS:-caslap latency memory modes}"
MODES="${MODES:-single smp}"
PROTOCOLS="${PROTOCOLS:-text binary}"
MEM="${MEM:-1024}"                       # -m for both servers, MB
CONC="${CONC:-32}"                       # memcaslap -c
LAT_RATES="${LAT_RATES:-5000,15000,30000}"
LAT_CSV_RATE="${LAT_CSV_RATE:-15000}"    # the rate whose percentiles go into server-compare.csv
LAT_WARMUP_MS="${LAT_WARMUP_MS:-1000}"
LAT_CONNS="${LAT_CONNS:-16}"
FILL_VALUE="${FILL_VALUE:-100}"
MODE_CONNS="${MODE_CONNS:-4 256}"        # memcaslap -c for the modes step
MODE_RATES="${MODE_RATES:-10000,30000,60000}"   # offered loads for the modes step's latency
JAVA="${JAVA:-java}"                     # runs the bench tools; the server runs through ./cuckoocache (JAVA_HOME)
MEMCACHED="${MEMCACHED:-/usr/bin/memcached}"
MEMCASLAP="${MEMCASLAP:-/usr/bin/memcaslap}"
CASLAP_FLAGS="${CASLAP_FLAGS:-}"         # extra memcaslap flags for the caslap step, e.g. "-d 20"
CC_ARGS="${CC_ARGS:-}"                   # extra cuckoocache flags, e.g. --transport=epoll

begin_run ""
BENCH_JAR="bench/target/benchmarks.jar"
SERVER_JAR="server/target/cuckoocache.jar"
TICK="$(getconf CLK_TCK)"

[[ -x "$MEMCACHED" && -x "$MEMCASLAP" ]] || { echo "needs $MEMCACHED and $MEMCASLAP (apt-get install memcached libmemcached-tools)" >&2; exit 69; }
[[ -f "$SERVER_JAR" ]] || ./mvnw -B -q -DskipTests package -pl server -am
[[ -f "$BENCH_JAR" ]] || ./mvnw -B -q -DskipTests package -pl bench -am

{
  echo "date: $(date -u +%FT%TZ)"
  echo "profile: $PROFILE; steps: $STEPS; modes: $MODES; protocols: $PROTOCOLS"
  echo "knobs: ROUNDS=$ROUNDS OPS=$OPS CONC=$CONC MEM=$MEM LAT_RATES=$LAT_RATES LAT_ROUNDS=$LAT_ROUNDS" \
       "LAT_MEASURE_MS=$LAT_MEASURE_MS LAT_WARMUP_MS=$LAT_WARMUP_MS LAT_CONNS=$LAT_CONNS LAT_CSV_RATE=$LAT_CSV_RATE" \
       "FILL_VALUE=$FILL_VALUE MODE_CONNS='$MODE_CONNS' MODE_RATES=$MODE_RATES MODE_ROUNDS=$MODE_ROUNDS CASLAP_FLAGS='$CASLAP_FLAGS'" \
       "CC_ARGS='$CC_ARGS'"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git status --porcelain 2>/dev/null | wc -l) uncommitted paths"
  echo "memcached: $("$MEMCACHED" -V)"; echo "memcaslap: $("$MEMCASLAP" -V 2>&1 | head -1)"
  echo "server jar: $(stat -c '%y' "$SERVER_JAR")"
  echo; echo "## uptime"; uptime
  echo; echo "## lscpu"; lscpu
  echo; echo "## memory"; free -m
  echo; echo "## java -version (server: ${JAVA_HOME:-java on PATH}; tools: $JAVA)"; java -version 2>&1; "$JAVA" -version 2>&1
  echo; echo "## top CPU consumers at start"; ps -eo pid,pcpu,etime,comm --sort=-pcpu | head -8
} > "$OUT/machine.txt"


# start_server <name> <threads|single|smp> <port> <log>: starts memcached (-t N) or cuckoocache (a mode) in the
# background; sets SERVER_PID once it answers on the port.
start_server() {
  local name="$1" how="$2" port="$3" log="$4"
  if [[ "$name" == memcached ]]; then
    "$MEMCACHED" -U 0 -l 127.0.0.1 -p "$port" -m "$MEM" -t "$how" -u nobody > "$log" 2>&1 &
  elif [[ "$how" == single ]]; then
    # shellcheck disable=SC2086
    ./cuckoocache -p "$port" -m "$MEM" --mode=single $CC_ARGS > "$log" 2>&1 &
  else
    # shellcheck disable=SC2086
    ./cuckoocache -p "$port" -m "$MEM" --mode=smp -t 2 $CC_ARGS > "$log" 2>&1 &
  fi
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  await_listen "$SERVER_PID" "$port" "$name ($how)" "$log"
}

# CPU ticks (utime + stime) of a process: fields 14 and 15 of /proc/PID/stat, counted after the ")" of its name.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# caslap_run <csv tag> <pid> <port> <threads> <conns> <extra memcaslap flags> <raw file>: one bounded memcaslap run;
# appends "tag,ops,tps,cpu_ticks" to $OUT/caslap-runs.csv.
caslap_run() {
  local tag="$1" pid="$2" port="$3" threads="$4" conns="$5" flags="$6" raw="$7" before after ops tps
  before="$(cpu_ticks "$pid")"
  # shellcheck disable=SC2086
  timeout 600 "$MEMCASLAP" -s "127.0.0.1:$port" -T "$threads" -c "$conns" -x "$OPS" $flags > "$raw" 2>&1
  after="$(cpu_ticks "$pid")"
  ops="$(sed -n 's/^Run time: .* Ops: \([0-9]*\) TPS: \([0-9]*\).*/\1/p' "$raw")"
  tps="$(sed -n 's/^Run time: .* Ops: \([0-9]*\) TPS: \([0-9]*\).*/\2/p' "$raw")"
  [[ -n "$ops" && -n "$tps" ]] || { echo "memcaslap gave no result: $raw"; cat "$raw"; exit 1; }
  echo "$tag,$ops,$tps,$((after - before))" >> "$OUT/caslap-runs.csv"
  printf '  %-45s ops %8s  ops/s %7s  server CPU %6.2f us/op\n' "$tag" "$ops" "$tps" \
    "$(awk -v t="$((after - before))" -v o="$ops" -v k="$TICK" 'BEGIN { print t * 1e6 / k / o }')"
}

echo "kind,mode,protocol,conns,round,server,ops,ops_per_s,cpu_ticks" > "$OUT/caslap-runs.csv"
: > "$OUT/latency.csv"

# ---------------------------------------------------------------------------------------- caslap + latency
if has caslap || has latency; then
  for mode in $MODES; do
    if [[ "$mode" == single ]]; then mc_threads=1; caslap_threads=1; else mc_threads=2; caslap_threads=2; fi
    cc_port="$(free_port)"; mc_port="$(free_port)"
    step "mode $mode: cuckoocache --mode=$mode on $cc_port, memcached -t $mc_threads on $mc_port, -m $MEM"
    start_server cuckoocache "$mode" "$cc_port" "$OUT/server-cuckoocache-$mode.log"; cc_pid=$SERVER_PID
    start_server memcached "$mc_threads" "$mc_port" "$OUT/server-memcached-$mode.log"; mc_pid=$SERVER_PID
    head -1 "$OUT/server-cuckoocache-$mode.log"
    if has caslap; then
      for proto in $PROTOCOLS; do
        flags="$(caslap_flags "$proto")"
        step "memcaslap $proto, mode $mode: -T $caslap_threads -c $CONC -x $OPS, $ROUNDS rounds after a warm-up run each"
        for server in cuckoocache memcached; do
          if [[ "$server" == cuckoocache ]]; then pid=$cc_pid; port=$cc_port; else pid=$mc_pid; port=$mc_port; fi
          caslap_run "caslap,$mode,$proto,$CONC,warmup,$server" "$pid" "$port" "$caslap_threads" "$CONC" "$flags" \
            "$OUT/memcaslap-$mode-$proto-warmup-$server.txt"
        done
        for ((r = 1; r <= ROUNDS; r++)); do
          if ((r % 2)); then order="cuckoocache memcached"; else order="memcached cuckoocache"; fi
          for server in $order; do
            if [[ "$server" == cuckoocache ]]; then pid=$cc_pid; port=$cc_port; else pid=$mc_pid; port=$mc_port; fi
            caslap_run "caslap,$mode,$proto,$CONC,$r,$server" "$pid" "$port" "$caslap_threads" "$CONC" "$flags" \
              "$OUT/memcaslap-$mode-$proto-r$r-$server.txt"
          done
        done
      done
    fi
    if has latency; then
      # The A/A control: a second memcached, the same as the first. How far its ratios to the first stray is how far
      # two identical servers differ on this machine; cuckoocache's ratios mean something only beyond that.
      mc2_port="$(free_port)"
      start_server memcached "$mc_threads" "$mc2_port" "$OUT/server-memcached-again-$mode.log"; mc2_pid=$SERVER_PID
      for proto in $PROTOCOLS; do
        step "open-loop latency $proto, mode $mode: rates $LAT_RATES/s, $LAT_CONNS connections, $LAT_ROUNDS rounds"
        "$JAVA" -Xms512m -Xmx512m -cp "$BENCH_JAR" io.cuckoocache.bench.ServerLatency --protocol "$proto" \
          --servers "cuckoocache=127.0.0.1:$cc_port,memcached-again=127.0.0.1:$mc2_port,memcached=127.0.0.1:$mc_port" \
          --rates "$LAT_RATES" --connections "$LAT_CONNS" --rounds "$LAT_ROUNDS" --warmup-ms "$LAT_WARMUP_MS" \
          --measure-ms "$LAT_MEASURE_MS" --csv "$OUT/latency.csv" --csv-mode "$mode" --csv-rate "$LAT_CSV_RATE" \
          | tee "$OUT/latency-$mode-$proto.md" || echo "latency $mode $proto FAILED (see above); continuing"
      done
      stop_server "$mc2_pid"
    fi
    for stats_server in cuckoocache memcached; do
      port=$cc_port; [[ "$stats_server" == memcached ]] && port=$mc_port
      { exec 3<>"/dev/tcp/127.0.0.1/$port"; printf 'stats\r\nquit\r\n' >&3; timeout 5 cat <&3 || true; exec 3>&-; } \
        > "$OUT/stats-$mode-$stats_server.txt"
    done
    stop_server "$cc_pid"; stop_server "$mc_pid"
  done
fi

# ---------------------------------------------------------------------------------------- memory
if has memory; then
  : > "$OUT/memory.csv"
  for server in cuckoocache memcached; do
    port="$(free_port)"
    step "memory: $server (smp -t 2 / -t 2), -m $MEM, $FILL_VALUE-byte values until evictions start"
    if [[ "$server" == cuckoocache ]]; then how=smp; else how=2; fi
    start_server "$server" "$how" "$port" "$OUT/server-$server-memory.log"
    "$JAVA" -Xmx256m -cp "$BENCH_JAR" io.cuckoocache.bench.MemoryFill --server "127.0.0.1:$port" \
      --value-size "$FILL_VALUE" --time-limit-s 600 | tee "$OUT/memory-fill-$server.txt"
    sleep 2
    rss="$(rss_mb "$SERVER_PID")"
    grep -E '^(VmRSS|VmHWM|VmSize|RssAnon|RssFile)' "/proc/$SERVER_PID/status" > "$OUT/memory-status-$server.txt"
    [[ "$server" == cuckoocache ]] && { jcmd "$SERVER_PID" GC.heap_info >> "$OUT/memory-status-$server.txt" 2>&1 || true; }
    items="$(sed -n 's/^RESULT .* curr_items \([0-9]*\) .*/\1/p' "$OUT/memory-fill-$server.txt")"
    echo "$server,$items,$rss" >> "$OUT/memory.csv"
    echo "  $server: curr_items $items, VmRSS $rss MB"
    stop_server "$SERVER_PID"
  done
fi

# ---------------------------------------------------------------------------------------- modes
if has modes; then
  s_port="$(free_port)"; m_port="$(free_port)"
  step "modes: cuckoocache --mode=single vs --mode=smp -t 2, memcaslap text, -c in {$MODE_CONNS}, $MODE_ROUNDS rounds"
  start_server cuckoocache single "$s_port" "$OUT/server-modes-single.log"; s_pid=$SERVER_PID
  start_server cuckoocache smp "$m_port" "$OUT/server-modes-smp.log"; m_pid=$SERVER_PID
  for conns in $MODE_CONNS; do
    for server in single smp; do
      if [[ "$server" == single ]]; then pid=$s_pid; port=$s_port; else pid=$m_pid; port=$m_port; fi
      caslap_run "modes,$server,text,$conns,warmup,$server" "$pid" "$port" 2 "$conns" "" \
        "$OUT/modes-c$conns-warmup-$server.txt"
    done
    for ((r = 1; r <= MODE_ROUNDS; r++)); do
      if ((r % 2)); then order="single smp"; else order="smp single"; fi
      for server in $order; do
        if [[ "$server" == single ]]; then pid=$s_pid; port=$s_port; else pid=$m_pid; port=$m_port; fi
        caslap_run "modes,$server,text,$conns,$r,$server" "$pid" "$port" 2 "$conns" "" \
          "$OUT/modes-c$conns-r$r-$server.txt"
      done
    done
  done
  step "modes: open-loop latency, --mode=smp against --mode=single, text, offered $MODE_RATES/s, $MODE_ROUNDS rounds"
  "$JAVA" -Xms512m -Xmx512m -cp "$BENCH_JAR" io.cuckoocache.bench.ServerLatency --protocol text \
    --servers "smp=127.0.0.1:$m_port,single=127.0.0.1:$s_port" --rates "$MODE_RATES" --connections "$LAT_CONNS" \
    --rounds "$MODE_ROUNDS" --warmup-ms "$LAT_WARMUP_MS" --measure-ms "$LAT_MEASURE_MS" \
    | tee "$OUT/modes-latency.md" || echo "modes latency FAILED (see above); continuing"
  stop_server "$s_pid"; stop_server "$m_pid"
fi

step "Ratios"
python3 bench/server-ratios.py "$OUT" "$TICK" "$MEM" | tee "$OUT/ratios.md"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo; echo "Results in $OUT"
