package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.ConcurrentMap;

/** {@code size} pre-generated keys and, for every iteration, a fresh default-constructed (empty) map. */
@State(Scope.Benchmark)
public class GrowData {
    @Param({Maps.CUCKOO, Maps.CHM, Maps.NBHM})
    public String impl;

    @Param({"1000000", "10000000"})
    public int size;

    @Param({Keys.INT, Keys.KEY16})
    public String keys;

    static final Object VALUE = new Object();

    public Object[] toInsert;
    public ConcurrentMap<Object, Object> map;

    @Setup(Level.Trial)
    public void keys() {
        toInsert = Keys.make(keys, 0, size);
    }

    @Setup(Level.Iteration)
    public void freshMap() {
        map = null;
        System.gc();
        map = Maps.create(impl);
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (map.size() != size) throw new IllegalStateException(impl + " holds " + map.size() + " of " + size);
    }
}
