package io.cuckoocache.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * memcached's per-prefix stats ("stats detail on|off|dump", -D): gets, hits, sets and deletes per key prefix, the
 * prefix being what comes before the first delimiter (keys without one are not counted). Off by default; while off,
 * a store call pays one volatile read. While on, each record takes this object's lock, as memcached takes its
 * global stats lock: detail is a debugging aid, not for a loaded server.
 * <p>
 * The dump lists prefixes in memcached's order: by bucket of its 256-bucket table (MurmurHash3 of the prefix, seed
 * 0, memcached's default hash), newest first within a bucket, so that a dump reads as memcached's would. Unlike
 * memcached, a prefix is matched exactly: its lookup compares only the new key's prefix length, so a prefix that is
 * the start of another one in the same bucket is counted under that other one.
 */
final class PrefixStats {
    private static final int BUCKETS = 256;

    private static final class Prefix {
        final byte[] name;
        final Prefix next;
        long gets;
        long hits;
        long sets;
        long deletes;

        Prefix(byte[] name, Prefix next) {
            this.name = name;
            this.next = next;
        }
    }

    final byte delimiter;
    volatile boolean enabled;
    private final Prefix[] buckets = new Prefix[BUCKETS]; // guarded by this

    PrefixStats(byte delimiter, boolean enabled) {
        this.delimiter = delimiter;
        this.enabled = enabled;
    }

    synchronized void get(byte[] key, int off, int len, boolean hit) {
        Prefix p = find(key, off, len);
        if (p == null) return;
        p.gets++;
        if (hit) p.hits++;
    }

    synchronized void set(byte[] key, int off, int len) {
        Prefix p = find(key, off, len);
        if (p != null) p.sets++;
    }

    synchronized void delete(byte[] key, int off, int len) {
        Prefix p = find(key, off, len);
        if (p != null) p.deletes++;
    }

    /** memcached's dump lines ("PREFIX p get n hit n set n del n"), each ending in CRLF; no END. */
    synchronized String dump() {
        StringBuilder b = new StringBuilder();
        for (Prefix head : buckets) {
            for (Prefix p = head; p != null; p = p.next) {
                b.append("PREFIX ").append(new String(p.name, StandardCharsets.ISO_8859_1)).append(" get ")
                        .append(p.gets).append(" hit ").append(p.hits).append(" set ").append(p.sets)
                        .append(" del ").append(p.deletes).append("\r\n");
            }
        }
        return b.toString();
    }

    /** "stats reset" forgets every prefix, as memcached's does. */
    synchronized void clear() {
        Arrays.fill(buckets, null);
    }

    /** The key's prefix entry, created if new; null if no delimiter comes before the key's end or a NUL. */
    private Prefix find(byte[] key, int off, int len) {
        int n = 0;
        while (n < len && key[off + n] != delimiter && key[off + n] != 0) n++;
        if (n == len || key[off + n] != delimiter) return null;
        int bucket = Integer.remainderUnsigned(murmur3(key, off, n), BUCKETS);
        for (Prefix p = buckets[bucket]; p != null; p = p.next) {
            if (Arrays.equals(p.name, 0, p.name.length, key, off, off + n)) return p;
        }
        Prefix p = new Prefix(Arrays.copyOfRange(key, off, off + n), buckets[bucket]);
        buckets[bucket] = p;
        return p;
    }

    /** MurmurHash3_x86_32 with seed 0 (memcached's "murmur3" hash), little-endian blocks. */
    static int murmur3(byte[] data, int off, int len) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = 0;
        int blocks = len & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k = (data[off + i] & 0xff) | (data[off + i + 1] & 0xff) << 8 | (data[off + i + 2] & 0xff) << 16
                    | (data[off + i + 3] & 0xff) << 24;
            h ^= Integer.rotateLeft(k * c1, 15) * c2;
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (data[off + blocks + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (data[off + blocks + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= data[off + blocks] & 0xff;
                h ^= Integer.rotateLeft(k * c1, 15) * c2;
                break;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
