#!/usr/bin/env bash
# Items held, RSS and GC pauses of a full cache (issue 19): cuckoocache against memcached 1.6.18 (/usr/bin/memcached)
# on loopback. Writes every raw output into bench/results/<UTC stamp>-memory/ and prints the summary table (from
# memory-summary.py); the rows are in memory.csv there (workload,mem,server,jdk,gc,curr_items,rss_mb,hwm_mb,
# max_pause_ms,gc_pauses_over_10ms, then collector, pause count and total, ZGC allocation stalls, evictions,
# limit_maxbytes, the fill's own numbers, Pss), the soak's in soak.csv.
#
#   bench/memory-compare.sh                                  # the matrix: 3 workloads x -m 256,1024: ~3-4 min
#   WORKLOADS="100:14" MEMS=1024 bench/memory-compare.sh     # a subset (value bytes:key bytes)
#   JDKS="/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64" GCS="G1 ZGC Shenandoah" \
#     bench/memory-compare.sh                                # cuckoocache once per JDK x collector in every cell
#   STEPS=soak SOAK_SECONDS=600 GCS="G1 ZGC Shenandoah" bench/memory-compare.sh   # fill + 10 min of reads
#
# Steps (STEPS, default "matrix"):
#   matrix  for each workload in WORKLOADS (value size:key size; default 100-byte values/14-byte keys, 1000/14 and
#           10-byte values/250-byte keys) and each -m in MEMS (default 256 1024): a fresh
#           `memcached -U 0 -l 127.0.0.1 -p P -m M -t 2`, filled by io.cuckoocache.bench.MemoryFill until evictions
#           have started and curr_items stopped rising; then curr_items, evictions, limit_maxbytes (stats) and VmRSS,
#           VmHWM (/proc/PID/status); stopped. Then the same for a fresh `./cuckoocache -l 127.0.0.1 -p P -m M -t 2`
#           (the launcher, which derives the JVM settings from -m) per JDK in JDKS and collector in GCS, with a GC log
#           (-Xlog:gc*) and `jcmd PID GC.heap_info` after the fill. One server runs at a time.
#   soak    per JDK and collector: cuckoocache at -m SOAK_MEM (1024) filled with SOAK_VALUE-byte values (100), then
#           SOAK_SECONDS (600) of pipelined gets of random keys among those sent, 10 % of the operations sets of new
#           keys (so it keeps evicting); GC pauses over the whole run and
#           over the read phase alone (from JVM uptime at the end of the fill, to about 0.1 s), RSS, hits.
#
# JDKS: JDK homes (default: $JAVA_HOME, else the JDK of `java` on PATH); each runs the server through the launcher
# as JAVA_HOME. GCS: collectors, default "default" (the launcher's choice: G1 on JDK 17-20, generational ZGC on 21+);
# G1 (with the launcher's 20 ms pause target), ZGC (generational on 21+), Shenandoah, GenShen (generational
# Shenandoah, JDK 25+) add JVM options after the launcher's, which win. The pause count in the CSV is that of GC log
# pauses over 10 ms (PAUSE_OVER_MS). ZGC on JDK 17-20 (not generational) maps its heap three times and VmRSS counts
# a heap page once per view (RssShmem in the -status.txt files: ~3x the heap); Pss (smaps_rollup, pss_mb) counts it
# once, so compare that one there.
#
# Never part of the build, the unit tests or CI. Every load is bounded (the fill by FILL_SECONDS and --max-keys, the
# reads by SOAK_SECONDS) and on 127.0.0.1 only; servers listen on free ephemeral ports and are stopped at exit.
# Memory: one server at a time; cuckoocache at -m 1024 takes up to ~1.6 GB, memcached ~1.1 GB.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=servers.sh
source bench/servers.sh

STEPS="${STEPS:-matrix}"
WORKLOADS="${WORKLOADS:-100:14 1000:14 10:250}"   # value bytes:key bytes
MEMS="${MEMS:-256 1024}"                          # -m, MB
GCS="${GCS:-default}"
FILL_SECONDS="${FILL_SECONDS:-600}"               # bound of one fill
PAUSE_OVER_MS="${PAUSE_OVER_MS:-10}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
SOAK_MEM="${SOAK_MEM:-1024}"
SOAK_VALUE="${SOAK_VALUE:-100}"
JAVA="${JAVA:-java}"                              # runs MemoryFill; the server runs through ./cuckoocache
MEMCACHED="${MEMCACHED:-/usr/bin/memcached}"
if [[ -z "${JDKS:-}" ]]; then
  JDKS="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
fi

# memcached will not run as root without a user to switch to.
MC_USER=(); [[ "$(id -u)" == 0 ]] && MC_USER=(-u nobody)

# jdk_version <home>: "17.0.15" from `java -version`.
jdk_version() { "$1/bin/java" -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p'; }

# gc_opts <name> <JDK feature release>: the JVM options that select a collector over the launcher's choice (two
# selected collectors are an error, so the launcher's is switched off first).
gc_opts() {
  case "$1" in
    default) echo "" ;;
    G1) echo "-XX:-UseZGC -XX:+UseG1GC -XX:MaxGCPauseMillis=20" ;;
    ZGC) echo "-XX:-UseG1GC -XX:+UseZGC$( (($2 >= 21 && $2 < 23)) && echo " -XX:+ZGenerational")" ;;
    Shenandoah) echo "-XX:-UseG1GC -XX:-UseZGC -XX:+UseShenandoahGC" ;;
    GenShen) echo "-XX:-UseG1GC -XX:-UseZGC -XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions" \
                  "-XX:ShenandoahGCMode=generational" ;;
    *) echo "unknown collector $1 (default G1 ZGC Shenandoah GenShen)" >&2; return 1 ;;
  esac
}
# Every JDK x collector must start (e.g. GenShen needs JDK 25), checked before any server runs.
for jdk in $JDKS; do
  [[ -x "$jdk/bin/java" ]] || { echo "JDKS: $jdk/bin/java not found" >&2; exit 2; }
  major="$(jdk_version "$jdk")"; major="${major%%.*}"
  for gc in $GCS; do
    opts="$(gc_opts "$gc" "$major")" || exit 2
    # shellcheck disable=SC2086
    "$jdk/bin/java" -XX:+UseG1GC $opts -version > /dev/null 2>&1 \
      || { echo "GCS: $gc does not start on $jdk" >&2; exit 2; }
  done
done

begin_run -memory
BENCH_JAR="bench/target/benchmarks.jar"
SERVER_JAR="server/target/cuckoocache.jar"

[[ -x "$MEMCACHED" ]] || { echo "needs $MEMCACHED (apt-get install memcached)" >&2; exit 69; }
[[ -f "$SERVER_JAR" ]] || ./mvnw -B -q -DskipTests package -pl server -am
[[ -f "$BENCH_JAR" ]] || ./mvnw -B -q -DskipTests package -pl bench -am

{
  echo "date: $(date -u +%FT%TZ)"
  echo "steps: $STEPS; workloads: $WORKLOADS; mems: $MEMS; jdks: $JDKS; gcs: $GCS"
  echo "knobs: FILL_SECONDS=$FILL_SECONDS PAUSE_OVER_MS=$PAUSE_OVER_MS SOAK_SECONDS=$SOAK_SECONDS SOAK_MEM=$SOAK_MEM" \
       "SOAK_VALUE=$SOAK_VALUE"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
       "$(git status --porcelain 2>/dev/null | wc -l) uncommitted paths"
  echo "memcached: $("$MEMCACHED" -V)"
  echo "server jar: $(stat -c '%y' "$SERVER_JAR")"
  for jdk in $JDKS; do echo "jdk $jdk: $("$jdk/bin/java" -version 2>&1 | tr '\n' ' ')"; done
  echo "tools: $("$JAVA" -version 2>&1 | head -1)"
  echo; echo "## uptime"; uptime
  echo; echo "## lscpu"; lscpu
  echo; echo "## memory"; free -m
  echo; echo "## top CPU consumers at start"; ps -eo pid,pcpu,etime,comm --sort=-pcpu | head -8
} > "$OUT/machine.txt"

status_mb() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
stat_of() { tr -d '\r' < "$1" | sed -n "s/^STAT $2 \([0-9]*\)\$/\1/p"; }

# start_server <memcached|cuckoocache> <port> <mem> <log> [<jdk home> <JVM options>]: starts a server in the
# background; sets SERVER_PID once it answers on the port.
start_server() {
  local name="$1" port="$2" mem="$3" log="$4" jdk="${5:-}" opts="${6:-}"
  if [[ "$name" == memcached ]]; then
    "$MEMCACHED" -U 0 -l 127.0.0.1 -p "$port" -m "$mem" -t 2 "${MC_USER[@]}" > "$log" 2>&1 &
  else
    JAVA_HOME="$jdk" CUCKOOCACHE_JAVA_OPTS="$opts" ./cuckoocache -l 127.0.0.1 -p "$port" -m "$mem" -t 2 > "$log" 2>&1 &
  fi
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  await_listen "$SERVER_PID" "$port" "$name" "$log"
}

stats_to() {
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; printf 'stats\r\nquit\r\n' >&3; timeout 5 cat <&3 || true; exec 3>&-; } > "$2"
}

# fill <port> <value size> <key size> <mem> <read seconds> <output>: MemoryFill in batches of about 2% of what fits
# in -m (so the stop on a flat curr_items is not coarser than that); bounded by FILL_SECONDS, 40M keys and a
# timeout over both phases. Sets FILL_SECONDS_TAKEN; with reads, READ_START (epoch seconds at the end of the fill).
fill() {
  local port="$1" value="$2" key="$3" mem="$4" read="$5" out="$6" batch t0
  batch=$((mem * 1048576 / (value + key + 50) / 50))
  ((batch >= 10000)) || batch=10000
  t0="$(date +%s.%N)"
  timeout $((FILL_SECONDS + read + 180)) "$JAVA" -Xmx256m -cp "$BENCH_JAR" io.cuckoocache.bench.MemoryFill \
    --server "127.0.0.1:$port" --value-size "$value" --key-size "$key" --batch "$batch" --max-keys 40000000 \
    --time-limit-s "$FILL_SECONDS" --read-seconds "$read" \
    | while IFS= read -r line; do   # not awk: mawk reads a pipe in blocks, so the time would be the run's end
        [[ "$line" == "RESULT "* ]] && date +%s.%N > "$out.fill-end"
        printf '%s\n' "$line"
      done > "$out" \
    || echo "  MemoryFill FAILED or timed out (see $out)"
  READ_START="$(cat "$out.fill-end" 2>/dev/null || echo 0)"
  FILL_SECONDS_TAKEN="$(awk -v a="$t0" -v b="$READ_START" -v now="$(date +%s.%N)" \
    'BEGIN { printf "%.0f", (b > 0 ? b : now) - a }')"
  rm -f "$out.fill-end"
  grep -E '^(RESULT|READ) ' "$out" | sed 's/^/  /' || true
}

# record <pid> <port> <prefix> <jdk home or ""> : after a fill, the server's memory (/proc status, and for the JVM
# GC.heap_info) into <prefix>-status.txt, stats now and a few seconds later; sets REC_* for the CSV row.
record() {
  local pid="$1" port="$2" prefix="$3" jdk="$4"
  sleep 2
  REC_RSS=""; REC_HWM=""; REC_PSS=""
  if kill -0 "$pid" 2>/dev/null; then
    grep -E '^(VmRSS|VmHWM|VmSize|RssAnon|RssFile|RssShmem)' "/proc/$pid/status" > "$prefix-status.txt"
    grep -E '^Pss' "/proc/$pid/smaps_rollup" >> "$prefix-status.txt"
    REC_RSS="$(status_mb "$pid" VmRSS)"; REC_HWM="$(status_mb "$pid" VmHWM)"
    REC_PSS="$(awk '$1 == "Pss:" { printf "%.0f", $2 / 1024 }' "/proc/$pid/smaps_rollup")"
    [[ -n "$jdk" ]] && { "$jdk/bin/jcmd" "$pid" GC.heap_info >> "$prefix-status.txt" 2>&1 || true; }
    stats_to "$port" "$prefix-stats.txt"
    sleep 3
    stats_to "$port" "$prefix-stats-later.txt"
  else
    echo "  the server exited during the run (see its log)"
    : > "$prefix-stats.txt"; : > "$prefix-stats-later.txt"
  fi
  REC_ITEMS="$(stat_of "$prefix-stats.txt" curr_items)"
  REC_EVICTIONS="$(stat_of "$prefix-stats.txt" evictions)"
  REC_LIMIT="$(stat_of "$prefix-stats.txt" limit_maxbytes)"
  REC_LATER="$(stat_of "$prefix-stats-later.txt" curr_items)"
  echo "  curr_items $REC_ITEMS (3 s later $REC_LATER), evictions $REC_EVICTIONS, VmRSS $REC_RSS MB," \
       "VmHWM $REC_HWM MB, Pss $REC_PSS MB"
}

# run_cuckoocache <prefix> <mem> <value size> <key size> <read seconds> <jdk home> <gc>: a fresh cuckoocache with a GC
# log at <prefix>-gc.log, filled (then read), recorded (REC_*), stopped. Sets STARTED (epoch seconds just before the
# launcher started, about the GC log's uptime 0) and GC_COLLECTOR, GC_PAUSES, GC_MAX, GC_OVER, GC_TOTAL, GC_STALL
# over the whole log.
run_cuckoocache() {
  local prefix="$1" mem="$2" value="$3" key="$4" reads="$5" jdk="$6" gc="$7" version port opts
  version="$(jdk_version "$jdk")"
  port="$(free_port)"
  opts="$(gc_opts "$gc" "${version%%.*}") -Xlog:gc*:file=$PWD/$prefix-gc.log:uptime,level,tags"
  step "$(basename "$prefix"): cuckoocache -m $mem -t 2 on $port, JDK $version, GC $gc, $reads s of reads"
  STARTED="$(date +%s.%N)"
  start_server cuckoocache "$port" "$mem" "$prefix.log" "$jdk" "$opts"
  fill "$port" "$value" "$key" "$mem" "$reads" "$prefix-fill.txt"
  record "$SERVER_PID" "$port" "$prefix" "$jdk"
  stop_server "$SERVER_PID"
  IFS=, read -r GC_COLLECTOR GC_PAUSES GC_MAX GC_OVER GC_TOTAL GC_STALL \
    < <(python3 bench/gc-pauses.py "$prefix-gc.log" "$PAUSE_OVER_MS")
  echo "  GC $GC_COLLECTOR: $GC_PAUSES pauses, max $GC_MAX ms, $GC_OVER over $PAUSE_OVER_MS ms, total $GC_TOTAL ms;" \
       "max allocation stall $GC_STALL ms"
}

row() { local IFS=,; echo "$*"; }
fill_field() { sed -n "s/^RESULT .* $2 \([0-9]*\) .*/\1/p" "$1"; }
fill_stop() { sed -n 's/^RESULT .* stop "\(.*\)"$/\1/p' "$1"; }

if has matrix; then
  row workload mem server jdk gc curr_items rss_mb hwm_mb max_pause_ms gc_pauses_over_10ms collector gc_pauses \
    total_pause_ms max_alloc_stall_ms evictions limit_maxbytes curr_items_max curr_items_later fill_seconds fill_stop \
    pss_mb \
    > "$OUT/memory.csv"
  for workload in $WORKLOADS; do
    value="${workload%%:*}"; key="${workload##*:}"; wl="v$value-k$key"
    for mem in $MEMS; do
      cell="$OUT/$wl-m$mem"
      port="$(free_port)"
      step "$wl -m $mem: memcached -t 2 on $port"
      start_server memcached "$port" "$mem" "$cell-memcached.log"
      fill "$port" "$value" "$key" "$mem" 0 "$cell-memcached-fill.txt"
      record "$SERVER_PID" "$port" "$cell-memcached" ""
      stop_server "$SERVER_PID"
      f="$cell-memcached-fill.txt"
      row "$wl" "$mem" memcached - - "$REC_ITEMS" "$REC_RSS" "$REC_HWM" "" "" - "" "" "" "$REC_EVICTIONS" "$REC_LIMIT" \
        "$(fill_field "$f" curr_items_max)" "$REC_LATER" "$FILL_SECONDS_TAKEN" "$(fill_stop "$f")" "$REC_PSS" \
        >> "$OUT/memory.csv"
      for jdk in $JDKS; do
        version="$(jdk_version "$jdk")"
        for gc in $GCS; do
          tag="cuckoocache-$version-$gc"
          run_cuckoocache "$cell-$tag" "$mem" "$value" "$key" 0 "$jdk" "$gc"
          f="$cell-$tag-fill.txt"
          row "$wl" "$mem" cuckoocache "$version" "$gc" "$REC_ITEMS" "$REC_RSS" "$REC_HWM" "$GC_MAX" "$GC_OVER" \
            "$GC_COLLECTOR" "$GC_PAUSES" "$GC_TOTAL" "$GC_STALL" "$REC_EVICTIONS" "$REC_LIMIT" "$(fill_field "$f" curr_items_max)" \
            "$REC_LATER" "$FILL_SECONDS_TAKEN" "$(fill_stop "$f")" "$REC_PSS" \
        >> "$OUT/memory.csv"
        done
      done
    done
  done
fi

if has soak; then
  row jdk gc collector mem value_size curr_items rss_mb hwm_mb gets hit_ratio gets_per_s gc_pauses max_pause_ms \
    gc_pauses_over_10ms read_max_pause_ms read_pauses_over_10ms max_alloc_stall_ms fill_seconds pss_mb \
    > "$OUT/soak.csv"
  for jdk in $JDKS; do
    version="$(jdk_version "$jdk")"
    for gc in $GCS; do
      tag="$OUT/soak-v$SOAK_VALUE-m$SOAK_MEM-cuckoocache-$version-$gc"
      run_cuckoocache "$tag" "$SOAK_MEM" "$SOAK_VALUE" 14 "$SOAK_SECONDS" "$jdk" "$gc"
      read_after="$(awk -v a="$STARTED" -v b="$READ_START" 'BEGIN { printf "%.1f", (b > 0 ? b - a : 0) }')"
      IFS=, read -r _ _ read_max read_over _ _ \
        < <(python3 bench/gc-pauses.py "$tag-gc.log" "$PAUSE_OVER_MS" "$read_after")
      echo "  read phase (from uptime $read_after s): max pause $read_max ms, $read_over over $PAUSE_OVER_MS ms"
      gets="$(sed -n 's/^READ gets \([0-9]*\) .*/\1/p' "$tag-fill.txt")"
      hit="$(sed -n 's/^READ .* hit_ratio \([0-9.]*\) .*/\1/p' "$tag-fill.txt")"
      rate="$(sed -n 's/^READ .* gets_per_s \([0-9]*\) .*/\1/p' "$tag-fill.txt")"
      row "$version" "$gc" "$GC_COLLECTOR" "$SOAK_MEM" "$SOAK_VALUE" "$REC_ITEMS" "$REC_RSS" "$REC_HWM" "${gets:-0}" \
        "$hit" "$rate" "$GC_PAUSES" "$GC_MAX" "$GC_OVER" "$read_max" "$read_over" "$GC_STALL" "$FILL_SECONDS_TAKEN" \
        "$REC_PSS" >> "$OUT/soak.csv"
    done
  done
fi

step "Summary"
python3 bench/memory-summary.py "$OUT" | tee "$OUT/summary.md"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo; echo "Results in $OUT ($SECONDS s)"
