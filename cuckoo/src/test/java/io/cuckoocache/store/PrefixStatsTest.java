package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import static io.cuckoocache.store.Fixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-prefix stats: off by default, memcached's counting points and dump; the protocols' tests compare it live. */
class PrefixStatsTest {
    @Test
    void murmur3IsMemcachedsHash() {
        assertEquals(0, PrefixStats.murmur3(b(""), 0, 0));
        assertEquals(0x3c2569b2, PrefixStats.murmur3(b("a"), 0, 1));
        assertEquals(0x248bfa47, PrefixStats.murmur3(b("hello"), 0, 5));
        assertEquals(0x248bfa47, PrefixStats.murmur3(b("##hello##"), 2, 5));
    }

    @Test
    void offCountsNothingOnCountsGetsHitsSetsDeletes() {
        Fixture f = new Fixture();
        assertFalse(f.store.detailEnabled());
        f.set("a:1", "x");
        f.get("a:1");
        assertEquals("", f.store.detailDump());
        f.store.detailEnabled(true);
        f.set("a:1", "x");
        f.get("a:1");
        f.get("a:2");
        f.touch("a:1", 10);
        f.delete("a:9");
        f.set("plain", "x");
        f.metaGet("a:1");
        assertEquals("PREFIX a get 3 hit 2 set 1 del 1\r\n", f.store.detailDump());
        f.store.detailEnabled(false);
        f.get("a:1");
        assertEquals("PREFIX a get 3 hit 2 set 1 del 1\r\n", f.store.detailDump(), "kept while off");
        f.store.resetStats();
        assertEquals("", f.store.detailDump(), "stats reset forgets the prefixes");
    }

    @Test
    void theDelimiterIsMemcachedsMinusD() {
        Fixture f = new Fixture(ItemStore.builder().statsPrefixDelimiter('/').detailEnabled(true));
        assertTrue(f.store.detailEnabled());
        assertEquals('/', f.store.prefixDelimiter());
        f.set("x/1", "v");
        f.set("x:1", "v");
        f.set("/", "v");
        String dump = f.store.detailDump();
        assertTrue(dump.contains("PREFIX x get 0 hit 0 set 1 del 0\r\n"), dump);
        assertTrue(dump.contains("PREFIX  get 0 hit 0 set 1 del 0\r\n"), "an empty prefix: " + dump);
        assertEquals(2, dump.lines().count(), "x:1 has no '/': not counted");
    }
}
