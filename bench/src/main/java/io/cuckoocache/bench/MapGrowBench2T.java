package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link MapGrowBench} with two threads inserting disjoint halves into one map. */
@Threads(2)
public class MapGrowBench2T extends MapGrowBench {
}
