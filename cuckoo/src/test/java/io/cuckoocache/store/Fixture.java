package io.cuckoocache.store;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** A store on a hand-driven clock, and string shorthands for keys and values. */
class Fixture {
    /** A Unix time well past 30 days, so relative and absolute exptimes differ. */
    static final long T0 = 1_700_000_000L;

    final AtomicLong now = new AtomicLong(T0);
    final Outcome out = new Outcome();
    final MetaRequest request = new MetaRequest();
    final ItemStore store;

    Fixture() {
        this(ItemStore.builder());
    }

    Fixture(ItemStore.Builder b) {
        store = b.clock(now::get).build();
    }

    void advance(long seconds) {
        now.addAndGet(seconds);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String str(byte[] v) {
        return new String(v, StandardCharsets.ISO_8859_1);
    }

    Status set(String key, String value) {
        return set(key, value, 0, 0);
    }

    Status set(String key, String value, int flags, long exptime) {
        return store(Mode.SET, key, value, flags, exptime, 0);
    }

    Status store(Mode mode, String key, String value, int flags, long exptime, long cas) {
        byte[] k = b(key);
        return store.store(mode, k, 0, k.length, cas, b(value), flags, exptime, out);
    }

    /** The key's value, or null on a miss. */
    String get(String key) {
        byte[] it = item(key);
        return it == null ? null : str(Item.value(it));
    }

    byte[] item(String key) {
        // Look the key up inside a larger buffer, as a protocol does with its network buffer.
        byte[] buf = b("##" + key + "##");
        return store.get(buf, 2, key.length());
    }

    Status touch(String key, long exptime) {
        byte[] k = b(key);
        return store.touch(k, 0, k.length, exptime, out);
    }

    Status delete(String key) {
        byte[] k = b(key);
        return store.delete(k, 0, k.length, out);
    }

    Status incr(String key, long delta) {
        byte[] k = b(key);
        return store.incr(k, 0, k.length, delta, out);
    }

    Status decr(String key, long delta) {
        byte[] k = b(key);
        return store.decr(k, 0, k.length, delta, out);
    }

    Status metaGet(String key, MetaRequest options) {
        byte[] k = b(key);
        return store.meta().get(k, 0, k.length, options, out);
    }

    Status metaGet(String key) {
        return metaGet(key, request);
    }

    Status peek(String key) {
        byte[] k = b(key);
        return store.meta().peek(k, 0, k.length, out);
    }

    long stat(String name) {
        Long v = store.stats().get(name);
        if (v == null) throw new AssertionError("no stat " + name);
        return v;
    }
}
