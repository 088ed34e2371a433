#!/usr/bin/env bash
# Builds bench/ and runs the whole map comparison (issue 8, map part): JMH throughput + allocation (-prof gc),
# insert-into-a-growing-map, JOL bytes per entry, get latency during growth. Writes everything into
# bench/results/<timestamp>/ and prints the ratio table at the end.
#
#   bench/run-map-bench.sh                 # quick profile (this 2-core machine): ~80 min measured under load
#                                          #   1M tables: int and 16-byte keys; 10M tables: int keys only
#   PROFILE=full bench/run-map-bench.sh    # the annotations' defaults, the whole matrix: ~3 h (estimate)
#   SIZES=1000000 bench/run-map-bench.sh   # one JMH run over these sizes and both key types
#   STEPS="ab jol growth" bench/run-map-bench.sh   # a subset of: jmh grow ab jol growth
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run-map-bench.sh   # another JDK for the runs
#
# Never part of the build or the unit tests. Every step is bounded (JMH iteration counts, fill sizes, time limits).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROFILE="${PROFILE:-quick}"
STEPS="${STEPS:-jmh grow ab jol growth}"
JAVA="${JAVA:-java}"
SIZES="${SIZES:-}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="bench/results/${STAMP}"
JAR="bench/target/benchmarks.jar"
OPENS="--add-opens=java.base/java.util.concurrent=ALL-UNNAMED"

case "$PROFILE" in
  quick) MAP_ITER=(-wi 2 -i 3 -w 1s -r 1s -f 1); GROW_ITER=(-wi 1 -i 3 -f 1); ROUNDS=2
         AB_CELLS=("1000000 int" "1000000 key16" "10000000 int"); AB_ROUNDS=15 ;;
  full)  MAP_ITER=();                          GROW_ITER=();              ROUNDS=5
         AB_CELLS=("1000000 int" "1000000 key16" "10000000 int" "10000000 key16"); AB_ROUNDS=31 ;;
  *) echo "PROFILE must be quick or full" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
# Everything printed (including the JMH forks' "[setup] ... load" lines, which JMH's -o file does not get) also goes
# to console.log.
exec > >(tee -a "$OUT/console.log") 2>&1
./mvnw -B -q -pl bench -am package -DskipTests

# The machine, the JVM and what else is running (other processes make these numbers noisy: see load.txt).
{
  echo "date: $(date -u +%FT%TZ)"
  echo "profile: $PROFILE, sizes: ${SIZES:-profile default}, steps: $STEPS"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git status --porcelain 2>/dev/null | wc -l) uncommitted paths"
  echo; echo "## uptime"; uptime
  echo; echo "## lscpu"; lscpu
  echo; echo "## memory"; free -m
  echo; echo "## java -version ($JAVA)"; "$JAVA" -version 2>&1
  echo; echo "## top CPU consumers at start"; ps -eo pid,pcpu,etime,comm --sort=-pcpu | head -8
} > "$OUT/machine.txt"

# Load average every 30 s while the runs go on (this process only; stopped at exit).
( while true; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done ) > "$OUT/load.txt" &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT

step() { echo; echo "=== $* ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"; }
has() { [[ " $STEPS " == *" $1 "* ]]; }

# The JMH runs as (name, JMH parameter options) pairs: quick keeps the 16-byte keys to the 1M tables.
if [[ -n "$SIZES" ]]; then
  RUNS=("all" "-p size=$SIZES")
elif [[ "$PROFILE" == quick ]]; then
  RUNS=("1m" "-p size=1000000" "10m-int" "-p size=10000000 -p keys=int")
else
  RUNS=("all" "-p size=1000000,10000000")
fi

if has jmh; then
  for ((r = 0; r < ${#RUNS[@]}; r += 2)); do
    step "JMH ${RUNS[r]}: get hit/miss, put overwrite, 90/10 and 50/50 mixes; 1 and 2 threads; -prof gc"
    # shellcheck disable=SC2086
    "$JAVA" -jar "$JAR" 'io.cuckoocache.bench.MapBench[12]T\.' ${RUNS[r+1]} "${MAP_ITER[@]}" \
      -prof gc -rf json -rff "$OUT/jmh-map-${RUNS[r]}.json" -o "$OUT/jmh-map-${RUNS[r]}.txt"
  done
fi

if has grow; then
  for ((r = 0; r < ${#RUNS[@]}; r += 2)); do
    step "JMH ${RUNS[r]}: insert SIZE keys into an empty default-constructed map; 1 and 2 threads; -prof gc"
    # shellcheck disable=SC2086
    "$JAVA" -jar "$JAR" 'io.cuckoocache.bench.MapGrowBench[12]T\.' ${RUNS[r+1]} "${GROW_ITER[@]}" \
      -prof gc -rf json -rff "$OUT/jmh-grow-${RUNS[r]}.json" -o "$OUT/jmh-grow-${RUNS[r]}.txt"
  done
fi

if has ab; then
  : > "$OUT/interleaved-ab.md"
  for cell in "${AB_CELLS[@]}"; do
    read -r size keys <<< "$cell"
    step "Interleaved A/B ratios: $size entries, $keys keys, 1 and 2 threads"
    "$JAVA" -Xms8g -Xmx8g -cp "$JAR" io.cuckoocache.bench.InterleavedAB --size "$size" --keys "$keys" \
      --threads 1,2 --slice-ms 200 --rounds "$AB_ROUNDS" --warmup-rounds 3 | tee -a "$OUT/interleaved-ab.md"
    echo >> "$OUT/interleaved-ab.md"
  done
fi

if has jol; then
  step "JOL: bytes per entry, excluding keys and values"
  "$JAVA" -Xms8g -Xmx8g -Djdk.attach.allowAttachSelf=true "$OPENS" -cp "$JAR" \
    io.cuckoocache.bench.BytesPerEntry --sizes 100000,500000,1000000,2000000 --growth-from 100000 \
    | tee "$OUT/bytes-per-entry.md"
fi

if has growth; then
  step "Get latency while the table grows (fill to 8M, interleaved rounds)"
  "$JAVA" -Xms6g -Xmx6g "$OPENS" -Xlog:gc:file="$OUT/growth-latency-gc.log" -cp "$JAR" \
    io.cuckoocache.bench.GrowthLatency --impls cuckoo,chm --max 8388608 --rounds "$ROUNDS" \
    --time-limit-s 90 --quiet-gets 2000000 --warmup-max 1048576 | tee "$OUT/growth-latency.md"
fi

step "Ratios"
JSONS=()
for f in "$OUT"/jmh-*.json; do [[ -s "$f" ]] && JSONS+=("$f"); done
if (( ${#JSONS[@]} )); then
  python3 bench/ratios.py "${JSONS[@]}" | tee "$OUT/ratios.md"
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo; echo "Results in $OUT"
