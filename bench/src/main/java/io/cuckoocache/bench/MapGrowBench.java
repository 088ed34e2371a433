package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * Insert into a growing map: the time to put {@code size} new keys into an empty default-constructed map, every
 * growth included (one invocation per iteration, a fresh map each time). With two threads each inserts its half;
 * the score is the time one thread's share took, which is then the wall time of the whole fill. Divide by
 * {@code size} for an average cost per insert; the ratio between maps is the same either way.
 * <p>
 * Defaults: 1 fork, 3 warmup fills, 5 measured fills (a 10M-key fill takes a few seconds).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED"})
public abstract class MapGrowBench {

    @Benchmark
    public Object putGrow(GrowData d, ThreadParams tp) {
        Object[] keys = d.toInsert;
        int n = keys.length;
        int from = (int) ((long) n * tp.getThreadIndex() / tp.getThreadCount());
        int to = (int) ((long) n * (tp.getThreadIndex() + 1) / tp.getThreadCount());
        Object v = GrowData.VALUE;
        Object last = null;
        for (int i = from; i < to; i++) {
            last = d.map.put(keys[i], v);
        }
        return last;
    }
}
