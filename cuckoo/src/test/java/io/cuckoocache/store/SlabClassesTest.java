package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The slab classes against what memcached 1.6.18 printed with -vv ("slab class N: chunk size S perslab P"). */
class SlabClassesTest {
    private static String layout(SlabClasses s) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= s.largest(); i++) {
            b.append(i).append(':').append(s.size(i)).append('/').append(s.perPage(i)).append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void defaultsAreMemcached() {
        // memcached -vv (1.6.18, defaults)
        assertEquals("1:96/10922 2:120/8738 3:152/6898 4:192/5461 5:240/4369 6:304/3449 7:384/2730 8:480/2184"
                + " 9:600/1747 10:752/1394 11:944/1110 12:1184/885 13:1480/708 14:1856/564 15:2320/451 16:2904/361"
                + " 17:3632/288 18:4544/230 19:5680/184 20:7104/147 21:8880/118 22:11104/94 23:13880/75 24:17352/60"
                + " 25:21696/48 26:27120/38 27:33904/30 28:42384/24 29:52984/19 30:66232/15 31:82792/12"
                + " 32:103496/10 33:129376/8 34:161720/6 35:202152/5 36:252696/4 37:315872/3 38:394840/2"
                + " 39:524288/2", layout(SlabClasses.defaults(1 << 20)));
    }

    @Test
    void minSizeFactorAndChunkMaxAreMemcached() {
        // memcached -vv -n 100 -f 2
        assertEquals("1:152/6898 2:304/3449 3:608/1724 4:1216/862 5:2432/431 6:4864/215 7:9728/107 8:19456/53"
                + " 9:38912/26 10:77824/13 11:155648/6 12:524288/2", layout(new SlabClasses(100, 2, 512 << 10, 1 << 20)));
        // memcached -vv -n -5 -f 3: a negative -n is taken, 43 aligns to 48
        assertEquals("1:48/21845 2:144/7281 3:432/2427 4:1296/809 5:3888/269 6:11664/89 7:34992/29 8:104976/9"
                + " 9:524288/2", layout(new SlabClasses(-5, 3, 512 << 10, 1 << 20)));
        // memcached -vv -n 1000000: one class, the largest chunk
        assertEquals("1:524288/2", layout(new SlabClasses(1_000_000, 1.25, 512 << 10, 1 << 20)));
        // memcached -vv -f 1.08 -o slab_chunk_max=16384: the 63-class cap
        SlabClasses fine = new SlabClasses(48, 1.08, 16384, 1 << 20);
        assertEquals(63, fine.largest());
        assertEquals(13800, fine.size(62));
        assertEquals(16384, fine.size(63));
        // memcached -vv -f 1.01: 96 * 1.01 truncates to 96, so 62 classes of 96
        SlabClasses flat = new SlabClasses(48, 1.01, 512 << 10, 1 << 20);
        assertEquals(96, flat.size(62));
        assertEquals(524288, flat.size(63));
    }

    @Test
    void itemsGoWhereMemcachedPutsThem() {
        SlabClasses s = SlabClasses.defaults(1 << 20);
        assertEquals(1, s.classOf(61));   // "set a 0 0 1": 48 + 2 + 1 + 2 + 8
        assertEquals(1, s.classOf(96));
        assertEquals(2, s.classOf(97));
        assertEquals(38, s.classOf(394840));
        assertEquals(39, s.classOf(394841));
        assertEquals(39, s.classOf(524288));
        assertEquals(39, s.classOf(524289)); // chunked: linked into the largest class
        assertEquals(39, s.classOf(1 << 20));
        assertEquals(0, s.classOf((1 << 20) + 1));
        assertEquals(1, new SlabClasses(48, 1.01, 512 << 10, 1 << 20).classOf(96)); // the first of equal classes
    }

    @Test
    void settingsAreCheckedAsMemcachedChecksThem() {
        assertEquals("Factor must be greater than 1",
                assertThrows(IllegalArgumentException.class, () -> ItemStore.builder().slabGrowthFactor(1.0))
                        .getMessage());
        assertEquals("Chunk size must be greater than 0",
                assertThrows(IllegalArgumentException.class, () -> ItemStore.builder().slabMinSize(0)).getMessage());
        assertEquals("-I (item_size_max: 1048576) must be evenly divisible by slab_chunk_max (bytes: 100000)",
                assertThrows(IllegalArgumentException.class,
                        () -> ItemStore.builder().slabChunkMax(100000).build()).getMessage());
        assertEquals("slab_chunk_max (bytes: 2097152) cannot be larger than -I (item_size_max 1048576)",
                assertThrows(IllegalArgumentException.class,
                        () -> ItemStore.builder().slabChunkMax(2 << 20).build()).getMessage());
        ItemStore big = ItemStore.builder().memoryLimit(64L << 20).itemSizeMax(2 << 20).build();
        assertEquals(512 << 10, big.slabChunkMax()); // memcached -I 2m keeps 512 KB chunks
        ItemStore small = ItemStore.builder().itemSizeMax(1024).build();
        assertEquals(1024, small.slabChunkMax()); // memcached refuses -I 1k; this store takes it
    }
}
