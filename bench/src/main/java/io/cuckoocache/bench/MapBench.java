package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of single map operations on a map filled with {@code size} keys ({@link MapData}): get hit, get miss,
 * put overwriting a resident key, and 90/10 and 50/50 get/put mixes (the puts overwrite, so the size is stable).
 * One operation per invocation; the only allocation is what the map does. The thread count is fixed by the
 * subclasses {@link MapBench1T} and {@link MapBench2T}, so one command runs both.
 * <p>
 * Defaults: 1 fork, 3 x 1 s warmup, 5 x 1 s measurement (about 10-20 s per parameter combination including the
 * fill; see README.md for the whole suite).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED"})
public abstract class MapBench {

    @Benchmark
    public Object getHit(MapData d, Cursor c) {
        return d.map.get(d.hits[c.next()]);
    }

    @Benchmark
    public Object getMiss(MapData d, Cursor c) {
        return d.map.get(d.misses[c.next()]);
    }

    @Benchmark
    public Object putOverwrite(MapData d, Cursor c) {
        int i = c.next();
        return d.map.put(d.hits[i], c.value());
    }

    @Benchmark
    public Object mix90get10put(MapData d, Cursor c) {
        int i = c.next();
        return c.writes10[c.step()] ? d.map.put(d.hits[i], c.value()) : d.map.get(d.hits[i]);
    }

    @Benchmark
    public Object mix50get50put(MapData d, Cursor c) {
        int i = c.next();
        return c.writes50[c.step()] ? d.map.put(d.hits[i], c.value()) : d.map.get(d.hits[i]);
    }
}
