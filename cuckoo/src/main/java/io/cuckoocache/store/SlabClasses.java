package io.cuckoocache.store;

import java.util.Arrays;

/**
 * memcached 1.6.18's slab geometry, the one place it is written: the chunk size and chunks per 1 MB page of each
 * class, as its slabs_init lays them out from -n, -f and slab_chunk_max, and the class an item of a given size
 * (memcached's item size, {@link ItemStore#itemSize}) goes to. There are no slabs here; the classes are what
 * "stats items", "stats slabs", "stats settings" and me's {@code cls} report, so they must be memcached's.
 * Immutable.
 */
final class SlabClasses {
    /** sizeof(item) in memcached 1.6.18 on a 64-bit build. */
    static final int ITEM_HEADER = 48;
    /** sizeof(item_chunk): what each chunk of a chained (larger than slab_chunk_max) item spends on its header. */
    static final int CHUNK_HEADER = 48;
    /** memcached's slab_page_size: chunks are cut from 1 MB pages. */
    static final int PAGE_SIZE = 1 << 20;
    /** memcached's default -n (settings.chunk_size). */
    static final int DEFAULT_MIN_SIZE = 48;
    /** memcached's default -f. */
    static final double DEFAULT_FACTOR = 1.25;
    /** memcached's default slab_chunk_max: half a page. */
    static final int DEFAULT_CHUNK_MAX = PAGE_SIZE / 2;
    private static final int ALIGN = 8;
    /** MAX_NUMBER_OF_SLAB_CLASSES: class 0 is unused, the loop stops one short of it. */
    private static final int MAX_CLASSES = 64;

    final int minSize;
    final double factor;
    final int chunkMax;
    private final int itemSizeMax;
    /** Chunk size of class i at [i]; [0] unused. */
    private final int[] sizes;
    /** The class of an item of n bytes (n at most chunkMax) at [(n + 7) / 8]: one load instead of a search. */
    private final byte[] classByEighth;

    SlabClasses(int minSize, double factor, int chunkMax, int itemSizeMax) {
        this.minSize = minSize;
        this.factor = factor;
        this.chunkMax = chunkMax;
        this.itemSizeMax = itemSizeMax;
        int[] s = new int[MAX_CLASSES];
        int i = 0;
        // memcached keeps the size in an unsigned int: a negative -n wraps to a size past every limit.
        long size = (ITEM_HEADER + (long) minSize) & 0xFFFF_FFFFL;
        while (++i < MAX_CLASSES - 1 && size < chunkMax / factor) {
            if (size % ALIGN != 0) size += ALIGN - size % ALIGN;
            s[i] = (int) size;
            size = (long) (size * factor); // truncated, as memcached's unsigned int *= double
        }
        s[i] = chunkMax;
        this.sizes = Arrays.copyOf(s, i + 1);
        this.classByEighth = new byte[chunkMax / ALIGN + 2];
        int c = 1;
        for (int e = 0; e < classByEighth.length; e++) {
            while (c < largest() && (long) e * ALIGN > sizes[c]) c++;
            classByEighth[e] = (byte) c;
        }
    }

    /** The classes with memcached's defaults for an item size limit (-I). */
    static SlabClasses defaults(int itemSizeMax) {
        return new SlabClasses(DEFAULT_MIN_SIZE, DEFAULT_FACTOR, defaultChunkMax(itemSizeMax), itemSizeMax);
    }

    /**
     * slab_chunk_max when not given: half a page, as in memcached; or -I if smaller (memcached refuses such a -I
     * unless slab_chunk_max is lowered too; this store has always taken it).
     */
    static int defaultChunkMax(int itemSizeMax) {
        return Math.min(DEFAULT_CHUNK_MAX, itemSizeMax);
    }

    /** memcached's checks of slab_chunk_max against -I and the page, with its messages; null if fine. */
    static String checkChunkMax(int chunkMax, int itemSizeMax) {
        if (chunkMax > itemSizeMax) {
            return "slab_chunk_max (bytes: " + chunkMax + ") cannot be larger than -I (item_size_max " + itemSizeMax
                    + ")";
        }
        if (itemSizeMax % chunkMax != 0) {
            return "-I (item_size_max: " + itemSizeMax + ") must be evenly divisible by slab_chunk_max (bytes: "
                    + chunkMax + ")";
        }
        if (PAGE_SIZE % chunkMax != 0) {
            return "slab_chunk_max (bytes: " + chunkMax + ") must divide evenly into " + PAGE_SIZE
                    + " (slab_page_size)";
        }
        return null;
    }

    /** The highest class number (memcached's power_largest); its chunks are slab_chunk_max bytes. */
    int largest() {
        return sizes.length - 1;
    }

    /** Chunk size of class {@code cls}, 1 to {@link #largest()}. */
    int size(int cls) {
        return sizes[cls];
    }

    /** Chunks of class {@code cls} per 1 MB page. */
    int perPage(int cls) {
        return PAGE_SIZE / sizes[cls];
    }

    /**
     * memcached's slabs_clsid: the smallest class whose chunk holds {@code itemSize} bytes; the largest class for
     * an item larger than a chunk (memcached chains chunks for it, and links it into that class); 0 if over -I.
     */
    int classOf(long itemSize) {
        if (itemSize <= 0 || itemSize > itemSizeMax) return 0;
        if (itemSize > chunkMax) return largest();
        return classByEighth[(int) ((itemSize + ALIGN - 1) / ALIGN)];
    }
}
