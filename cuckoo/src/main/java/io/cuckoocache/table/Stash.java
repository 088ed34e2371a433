package io.cuckoocache.table;

/**
 * The keys that fit neither of their buckets (in practice: more than eight keys of one spread hash), as an immutable
 * persistent AVL tree. A change copies only the path from the root to the changed node and rebalances it (O(log n)
 * new nodes), and the table publishes the new root with one volatile write; a reader loads that reference once and
 * searches a tree that never changes under it, without a lock.
 * <p>
 * <b>Order.</b> Entries are ordered by spread hash (signed int order), and among equal hashes by
 * {@link CuckooTable#compareKeys}: a probe of any other hash costs O(log n) int comparisons and touches no key, and
 * keys of one hash that are mutually ordered ({@code Comparable} map keys, the store's byte keys) cost O(log n) key
 * comparisons, as in {@code ConcurrentHashMap}'s tree bins. Where {@code compareKeys} cannot decide (it answers
 * {@link CuckooTable#INCOMPARABLE}, or 0 for keys that are not equal) an insert breaks the tie by the keys' class
 * names, then their classes' identity hash codes, then their own identity hash codes; a lookup, which cannot repeat
 * that tie-break for an equal but different probe object, searches both subtrees there. So keys of one hash that are
 * not mutually comparable are found in O(n) of that hash's keys: correct, only slow.
 * <p>
 * <b>Why every key is still found.</b> Write T for the order (hash, class name, class identity, then
 * {@code compareKeys} where it decides, then key identity). Every insertion step agrees with T (it either follows
 * {@code compareKeys}, or the tie-break, which is T), and rotations keep the in-order sequence, so the in-order
 * sequence is always sorted by T. A lookup only prunes a subtree on a hash difference or on a decisive
 * {@code compareKeys}, and both agree with T, so it never prunes the subtree that holds the key. This needs
 * {@code compareKeys} to decide only between keys of one class, and to be a consistent order there (both hold for
 * the two tables: map keys of one class that implements {@code Comparable} of itself, and byte arrays).
 */
final class Stash {
    /** The empty stash. */
    static final Stash EMPTY = new Stash(null, 0);

    private final Entry root;
    private final int size;

    private Stash(Entry root, int size) {
        this.root = root;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** Height of the tree (0 when empty); for tests. */
    int height() {
        return height(root);
    }

    /** The entry stored for the probe, or null. */
    Entry find(CuckooTable t, int h, Object probe, int off, int len) {
        return find(root, t, h, probe, off, len);
    }

    /** This stash plus (h, key, value); the probe (which {@code key} stores) must be absent. */
    Stash plus(CuckooTable t, int h, Object probe, int off, int len, Object key, Object value) {
        return new Stash(insert(root, t, h, probe, off, len, key, value), size + 1);
    }

    /** This stash with the probe's entry (present) holding {@code key} (an equal key object) and {@code value}. */
    Stash withEntry(CuckooTable t, int h, Object probe, int off, int len, Object key, Object value) {
        Entry r = replace(root, t, h, probe, off, len, key, value);
        if (r == root) throw new IllegalStateException("no stash entry for the probe");
        return new Stash(r, size);
    }

    /** This stash without the probe's entry (present). */
    Stash minus(CuckooTable t, int h, Object probe, int off, int len) {
        Entry r = remove(root, t, h, probe, off, len);
        if (r == root) throw new IllegalStateException("no stash entry for the probe");
        return size == 1 ? EMPTY : new Stash(r, size - 1);
    }

    /** All entries, in tree order, as key0, value0, key1, value1, ... (for iteration). */
    Object[] entries() {
        Object[] out = new Object[2 * size];
        Entry[] stack = new Entry[height(root)];
        int depth = 0;
        int n = 0;
        for (Entry e = root; e != null || depth > 0; e = e.right) {
            for (; e != null; e = e.left) stack[depth++] = e;
            e = stack[--depth];
            out[n++] = e.key;
            out[n++] = e.value;
        }
        return out;
    }

    /** One immutable tree node: an entry and its subtrees. */
    static final class Entry {
        final int hash;
        final Object key;
        final Object value;
        final Entry left;
        final Entry right;
        final int height;

        Entry(int hash, Object key, Object value, Entry left, Entry right) {
            this.hash = hash;
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.height = Math.max(height(left), height(right)) + 1;
        }
    }

    // ---------------------------------------------------------------- search

    /**
     * Where the probe lies from {@code e}: -1 left, 1 right, 0 undecided (equal hash and no decisive key order).
     * Only an equal hash calls {@code compareKeys}.
     */
    private static int direction(Entry e, CuckooTable t, int h, Object probe, int off, int len) {
        if (h != e.hash) return h < e.hash ? -1 : 1;
        int c = t.compareKeys(e.key, probe, off, len);
        if (c == -1) return 1;          // stored key before the probe: the probe lies to the right
        if (c == 1) return -1;
        return 0;                        // 0 or INCOMPARABLE
    }

    private static Entry find(Entry e, CuckooTable t, int h, Object probe, int off, int len) {
        while (e != null) {
            int d = direction(e, t, h, probe, off, len);
            if (d < 0) {
                e = e.left;
            } else if (d > 0) {
                e = e.right;
            } else {
                if (t.keyMatches(e.key, probe, off, len)) return e;
                Entry r = find(e.right, t, h, probe, off, len);
                if (r != null) return r;
                e = e.left;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- changes (path copying)

    private static Entry insert(Entry e, CuckooTable t, int h, Object probe, int off, int len, Object key,
                                Object value) {
        if (e == null) return new Entry(h, key, value, null, null);
        int d = direction(e, t, h, probe, off, len);
        if (d == 0) d = tieBreak(e.key, key);
        if (d < 0) return balance(e, insert(e.left, t, h, probe, off, len, key, value), e.right);
        return balance(e, e.left, insert(e.right, t, h, probe, off, len, key, value));
    }

    /**
     * The side of {@code stored} on which {@code key} goes when {@code compareKeys} cannot decide: by class name,
     * then by the classes' identity (two classes of one name from different loaders), then by the keys' identity.
     * Both are stored key objects, so the answer never changes; a full tie goes right (any fixed side keeps the
     * tree sorted by the order in the class comment).
     */
    private static int tieBreak(Object stored, Object key) {
        Class<?> a = stored.getClass();
        Class<?> b = key.getClass();
        if (a != b) {
            int c = a.getName().compareTo(b.getName());
            if (c != 0) return c < 0 ? 1 : -1;
            c = Integer.compare(System.identityHashCode(a), System.identityHashCode(b));
            if (c != 0) return c < 0 ? 1 : -1;
        }
        return System.identityHashCode(stored) <= System.identityHashCode(key) ? 1 : -1;
    }

    /**
     * {@code e}'s subtree with the probe's entry holding {@code key} and {@code value}; {@code e} itself when the
     * probe is absent.
     */
    private static Entry replace(Entry e, CuckooTable t, int h, Object probe, int off, int len, Object key,
                                 Object value) {
        if (e == null) return null;
        int d = direction(e, t, h, probe, off, len);
        if (d == 0 && t.keyMatches(e.key, probe, off, len)) {
            return new Entry(e.hash, key, value, e.left, e.right);
        }
        if (d >= 0) {
            Entry r = replace(e.right, t, h, probe, off, len, key, value);
            if (r != e.right) return new Entry(e.hash, e.key, e.value, e.left, r);
        }
        if (d <= 0) {
            Entry l = replace(e.left, t, h, probe, off, len, key, value);
            if (l != e.left) return new Entry(e.hash, e.key, e.value, l, e.right);
        }
        return e;
    }

    /** {@code e}'s subtree without the probe's entry, rebalanced; {@code e} itself when the probe is absent. */
    private static Entry remove(Entry e, CuckooTable t, int h, Object probe, int off, int len) {
        if (e == null) return null;
        int d = direction(e, t, h, probe, off, len);
        if (d == 0 && t.keyMatches(e.key, probe, off, len)) return removeRoot(e);
        if (d >= 0) {
            Entry r = remove(e.right, t, h, probe, off, len);
            if (r != e.right) return balance(e, e.left, r);
        }
        if (d <= 0) {
            Entry l = remove(e.left, t, h, probe, off, len);
            if (l != e.left) return balance(e, l, e.right);
        }
        return e;
    }

    /** {@code e}'s subtree without {@code e} itself. */
    private static Entry removeRoot(Entry e) {
        if (e.left == null) return e.right;
        if (e.right == null) return e.left;
        Entry min = e.right;
        while (min.left != null) min = min.left;
        return balance(min, e.left, removeMin(e.right));
    }

    private static Entry removeMin(Entry e) {
        if (e.left == null) return e.right;
        return balance(e, removeMin(e.left), e.right);
    }

    // ---------------------------------------------------------------- AVL balance

    private static int height(Entry e) {
        return e == null ? 0 : e.height;
    }

    /**
     * A node with {@code e}'s entry over {@code l} and {@code r}, whose heights differ by at most 2, rotated so that
     * they differ by at most 1 in every node.
     */
    private static Entry balance(Entry e, Entry l, Entry r) {
        int hl = height(l);
        int hr = height(r);
        if (hl > hr + 1) {
            if (height(l.left) >= height(l.right)) {
                return node(l, l.left, node(e, l.right, r));
            }
            Entry lr = l.right;
            return node(lr, node(l, l.left, lr.left), node(e, lr.right, r));
        }
        if (hr > hl + 1) {
            if (height(r.right) >= height(r.left)) {
                return node(r, node(e, l, r.left), r.right);
            }
            Entry rl = r.left;
            return node(rl, node(e, l, rl.left), node(r, rl.right, r.right));
        }
        if (l == e.left && r == e.right) return e;
        return node(e, l, r);
    }

    private static Entry node(Entry e, Entry l, Entry r) {
        return new Entry(e.hash, e.key, e.value, l, r);
    }
}
