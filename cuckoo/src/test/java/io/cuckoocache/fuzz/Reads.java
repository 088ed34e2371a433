package io.cuckoocache.fuzz;

/** How a fuzz input reaches a decoder: the boundaries of its reads. Shared through this module's test jar. */
public final class Reads {
    private Reads() {
    }

    /** The end index of each read of {@code bytes[from..to)} in reads of {@code size} bytes (0: one read). */
    public static int[] ends(int from, int to, int size) {
        int step = size <= 0 ? Math.max(1, to - from) : size;
        int[] ends = new int[Math.max(0, (to - from + step - 1) / step)];
        for (int i = 0; i < ends.length; i++) ends[i] = Math.min(to, from + (i + 1) * step);
        return ends;
    }
}
