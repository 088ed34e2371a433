package io.cuckoocache.table;

import java.util.Arrays;

/**
 * The keys that fit neither of their buckets, in insertion order, with their spread hashes. Immutable: a change
 * publishes a new instance (under the generation's monitor), so a reader that loaded one sees a consistent set.
 * The sorted copy of the hashes lets a probe whose hash no stashed key has skip the stash in O(log n): only keys of
 * an equal hash pay for a stash full of them.
 */
final class Stash {
    final int[] hashes;
    final Object[] keys;
    final Object[] values;
    private final int[] sortedHashes;

    private Stash(int[] hashes, Object[] keys, Object[] values, int[] sortedHashes) {
        this.hashes = hashes;
        this.keys = keys;
        this.values = values;
        this.sortedHashes = sortedHashes;
    }

    static Stash of(int h, Object key, Object value) {
        return new Stash(new int[] {h}, new Object[] {key}, new Object[] {value}, new int[] {h});
    }

    int size() {
        return keys.length;
    }

    boolean mayHold(int h) {
        return Arrays.binarySearch(sortedHashes, h) >= 0;
    }

    /** The index of the entry whose key is the very object {@code key}; it must be present. */
    int indexOfStored(Object key) {
        int i = 0;
        while (keys[i] != key) i++;
        return i;
    }

    Stash plus(int h, Object key, Object value) {
        int n = size();
        int[] hs = Arrays.copyOf(hashes, n + 1);
        Object[] ks = Arrays.copyOf(keys, n + 1);
        Object[] vs = Arrays.copyOf(values, n + 1);
        hs[n] = h;
        ks[n] = key;
        vs[n] = value;
        int at = Arrays.binarySearch(sortedHashes, h);
        if (at < 0) at = -at - 1;
        int[] sorted = new int[n + 1];
        System.arraycopy(sortedHashes, 0, sorted, 0, at);
        sorted[at] = h;
        System.arraycopy(sortedHashes, at, sorted, at + 1, n - at);
        return new Stash(hs, ks, vs, sorted);
    }

    Stash withValue(int i, Object value) {
        Object[] vs = values.clone();
        vs[i] = value;
        return new Stash(hashes, keys, vs, sortedHashes);
    }

    /** This stash without entry {@code i}, or {@code null} when that was the last one. */
    Stash minus(int i) {
        int n = size();
        if (n == 1) return null;
        int at = Arrays.binarySearch(sortedHashes, hashes[i]);
        return new Stash(without(hashes, i), without(keys, i), without(values, i), without(sortedHashes, at));
    }

    private static int[] without(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, r.length - i);
        return r;
    }

    private static Object[] without(Object[] a, int i) {
        Object[] r = new Object[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, r.length - i);
        return r;
    }
}
