package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link MapGrowBench} with one thread. */
@Threads(1)
public class MapGrowBench1T extends MapGrowBench {
}
