package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link MapBench} with one thread. */
@Threads(1)
public class MapBench1T extends MapBench {
}
