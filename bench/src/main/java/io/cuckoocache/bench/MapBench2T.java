package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link MapBench} with two threads (this machine's core count) on one shared map. */
@Threads(2)
public class MapBench2T extends MapBench {
}
