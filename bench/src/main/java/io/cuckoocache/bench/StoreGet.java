package io.cuckoocache.bench;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The item store's get hit as a protocol uses it: look the key up inside a larger buffer (as in a network buffer),
 * then copy the value out (as into the reply), with the flags and CAS the reply header needs. Keys are
 * {@code m:} plus 12 digits (14 bytes, as in {@link MemoryFill}), values {@code valueSize} bytes. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per get.
 * <p>
 * {@code java -jar bench/target/benchmarks.jar StoreGet -prof gc}
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Thread)
public class StoreGet {
    @Param({"1000000"})
    public int items;
    @Param({"100"})
    public int valueSize;

    private ItemStore store;
    /** Each key at offset 1 of its own 16-byte array. */
    private byte[][] keys;
    private final byte[] reply = new byte[64 << 10];
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        store = ItemStore.builder().memoryLimit(4L << 30).build();
        keys = new byte[items][];
        byte[] value = new byte[valueSize];
        Outcome out = new Outcome();
        for (int i = 0; i < items; i++) {
            byte[] k = ServerLatency.ascii("#m:000000000000#");
            MemoryFill.writeDigits(k, 3, i);
            keys[i] = k;
            store.store(Mode.SET, k, 1, 14, value, 0, 0, out);
        }
        // Visit the keys in a scattered order, so a get does not find the previous one's lines in cache.
        java.util.Collections.shuffle(java.util.Arrays.asList(keys), new java.util.Random(1));
    }

    @Benchmark
    public long getHitAndCopy() {
        byte[] k = keys[next];
        next = next + 1 == items ? 0 : next + 1;
        byte[] it = store.get(k, 1, 14);
        int n = Item.valueLength(it);
        System.arraycopy(it, Item.valueOffset(it), reply, 0, n);
        return Item.cas(it) + Item.flags(it) + n;
    }
}
