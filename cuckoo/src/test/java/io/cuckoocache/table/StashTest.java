package io.cuckoocache.table;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Stash} on its own, against a {@link HashMap} model: comparable, incomparable and mixed keys over one or
 * several hashes, a compareTo that ties unequal keys, persistence of old versions, AVL balance, and the number of key
 * comparisons per lookup.
 */
class StashTest {

    /** Keys ordered by id. */
    record Ranked(int id) implements Comparable<Ranked> {
        @Override
        public int compareTo(Ranked o) {
            return Integer.compare(id, o.id);
        }
    }

    /** A second comparable class: never compared with {@link Ranked} (different classes are incomparable). */
    record OtherRanked(int id) implements Comparable<OtherRanked> {
        @Override
        public int compareTo(OtherRanked o) {
            return Integer.compare(o.id, id);   // descending, to differ from Ranked
        }
    }

    /** Keys with no order at all. */
    record Plain(int id) {
    }

    /** compareTo inconsistent with equals: ids of one group of five compare equal. */
    record Tied(int id) implements Comparable<Tied> {
        @Override
        public int compareTo(Tied o) {
            return Integer.compare(id / 5, o.id / 5);
        }
    }

    /** A table that is only a key policy: equals for matching, CuckooMap's rule for order; counts its calls. */
    static final class Policy extends CuckooTable {
        long compares;
        long matches;

        Policy() {
            super(0, false);
        }

        @Override
        protected boolean keyMatches(Object storedKey, Object probe, int off, int len) {
            matches++;
            return storedKey.equals(probe);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected int compareKeys(Object storedKey, Object probe, int off, int len) {
            compares++;
            if (storedKey.getClass() != probe.getClass() || !(probe instanceof Comparable)) return INCOMPARABLE;
            return Integer.signum(((Comparable<Object>) storedKey).compareTo(probe));
        }

        @Override
        protected int hashOfStored(Object storedKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected Object keyToStore(Object probe, int off, int len, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected Object apply(int op, Object arg, Object storedKey, Object current) {
            throw new UnsupportedOperationException();
        }
    }

    /** A key's hash: one of {@code hashes} values, spread over the int range (negative ones too). */
    static int hashOf(Object key, int hashes) {
        return (Math.floorMod(Objects.hashCode(key), hashes) - hashes / 2) * 0x3A5B_C6D1;
    }

    /** The keys a run draws from: {@code kinds} selects Ranked, OtherRanked, Plain and Tied. */
    static Object key(Random r, String kinds, int range) {
        int id = r.nextInt(range);
        switch (kinds.charAt(r.nextInt(kinds.length()))) {
            case 'R': return new Ranked(id);
            case 'O': return new OtherRanked(id);
            case 'P': return new Plain(id);
            default: return new Tied(id);
        }
    }

    @Test
    void comparableKeysOneHash() {
        differential(1, "R", 1, 600, 20_000);
    }

    @Test
    void comparableKeysSeveralHashes() {
        differential(2, "R", 7, 600, 20_000);
    }

    @Test
    void incomparableKeysOneHash() {
        differential(3, "P", 1, 300, 10_000);
    }

    @Test
    void mixedKeysFewHashes() {
        differential(4, "RROPT", 3, 400, 20_000);
    }

    @Test
    void tiedCompareToOneHash() {
        differential(5, "T", 1, 500, 20_000);
    }

    @Test
    void tiedAndIncomparableOneHash() {
        differential(6, "TP", 1, 400, 20_000);
    }

    /** Random finds, inserts, replaces and removes, checked against a HashMap; old versions checked at the end. */
    private static void differential(long seed, String kinds, int hashes, int range, int ops) {
        Random r = new Random(seed);
        Policy t = new Policy();
        Stash s = Stash.EMPTY;
        Map<Object, Object> model = new HashMap<>();
        List<Stash> versions = new ArrayList<>();
        List<Map<Object, Object>> models = new ArrayList<>();
        for (int op = 0; op < ops; op++) {
            // Equal copies, not the stored objects: lookups must not depend on identity.
            Object k = key(r, kinds, range);
            int h = hashOf(k, hashes);
            Stash.Entry e = s.find(t, h, k, 0, 0);
            Object expected = model.get(k);
            assertEquals(expected, e == null ? null : e.value, "find " + k + " at op " + op);
            int what = r.nextInt(4);
            if (expected == null) {
                if (what != 0) {
                    Integer v = op;
                    s = s.plus(t, h, k, 0, 0, k, v);
                    model.put(k, v);
                }
            } else if (what == 1) {
                s = s.minus(t, h, k, 0, 0);
                model.remove(k);
            } else if (what == 2) {
                Integer v = -op;
                Stash before = s;
                s = s.withEntry(t, h, k, 0, 0, e.key, v);
                model.put(k, v);
                assertSame(e.key, s.find(t, h, k, 0, 0).key, "withEntry stores the key object it is given");
                assertEquals(expected, before.find(t, h, k, 0, 0).value, "the old version is unchanged");
            }
            assertEquals(model.size(), s.size());
            assertBalanced(s);
            if (op % 1000 == 0) {
                assertSameContent(model, s, t, hashes);
                versions.add(s);
                models.add(new HashMap<>(model));
            }
        }
        assertSameContent(model, s, t, hashes);
        for (int i = 0; i < versions.size(); i++) assertSameContent(models.get(i), versions.get(i), t, hashes);
        // Drain: every key removed, each found until then.
        for (Object k : new ArrayList<>(model.keySet())) {
            int h = hashOf(k, hashes);
            assertNotNull(s.find(t, h, k, 0, 0), "before removing " + k);
            s = s.minus(t, h, k, 0, 0);
            assertNull(s.find(t, h, k, 0, 0), "after removing " + k);
            assertBalanced(s);
        }
        assertSame(Stash.EMPTY, s);
    }

    /** Every model key is found with its value; entries() lists exactly the model, in hash order. */
    private static void assertSameContent(Map<Object, Object> model, Stash s, Policy t, int hashes) {
        assertEquals(model.size(), s.size());
        for (Map.Entry<Object, Object> m : model.entrySet()) {
            Object k = m.getKey();
            Stash.Entry e = s.find(t, hashOf(k, hashes), copy(k), 0, 0);
            assertNotNull(e, "lost " + k);
            assertEquals(m.getValue(), e.value, "value of " + k);
        }
        Object[] entries = s.entries();
        assertEquals(2 * model.size(), entries.length);
        Map<Object, Object> listed = new HashMap<>();
        long lastHash = Long.MIN_VALUE;
        for (int i = 0; i < entries.length; i += 2) {
            int h = hashOf(entries[i], hashes);
            assertTrue(h >= lastHash, "entries() out of hash order");
            lastHash = h;
            assertNull(listed.put(entries[i], entries[i + 1]), "listed twice: " + entries[i]);
        }
        assertEquals(model, listed);
    }

    /** An equal key object that is not the stored one. */
    private static Object copy(Object k) {
        if (k instanceof Ranked x) return new Ranked(x.id());
        if (k instanceof OtherRanked x) return new OtherRanked(x.id());
        if (k instanceof Plain x) return new Plain(x.id());
        return new Tied(((Tied) k).id());
    }

    /** AVL bound: height < 1.4405 log2(n + 2). */
    private static void assertBalanced(Stash s) {
        int n = s.size();
        double bound = 1.4405 * Math.log(n + 2) / Math.log(2);
        assertTrue(s.height() <= bound, "height " + s.height() + " for " + n + " entries");
    }

    @Test
    void manyComparableKeysOfOneHashCostLogarithmicComparisons() {
        int n = 100_000;
        Policy t = new Policy();
        Stash s = Stash.EMPTY;
        Random r = new Random(7);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        long maxPlus = 0;
        for (int i = 0; i < n; i++) {
            Ranked k = new Ranked(order[i]);
            long before = t.compares + t.matches;
            s = s.plus(t, 42, k, 0, 0, k, i);
            maxPlus = Math.max(maxPlus, t.compares + t.matches - before);
        }
        double log = Math.log(n) / Math.log(2);
        assertTrue(s.height() <= 1.4405 * Math.log(n + 2) / Math.log(2), "height " + s.height());
        assertTrue(maxPlus <= 2 * log + 2, maxPlus + " comparisons for one insert");
        long maxFind = 0;
        for (int i = 0; i < n; i++) {
            long before = t.compares + t.matches;
            assertEquals(i, s.find(t, 42, new Ranked(order[i]), 0, 0).value);
            maxFind = Math.max(maxFind, t.compares + t.matches - before);
        }
        assertTrue(maxFind <= 2 * log + 3, maxFind + " comparisons for one lookup");
    }

    @Test
    void otherHashesComparesNoKey() {
        Policy t = new Policy();
        Stash s = Stash.EMPTY;
        for (int i = 0; i < 1000; i++) s = s.plus(t, 42, new Plain(i), 0, 0, new Plain(i), i);
        t.compares = 0;
        t.matches = 0;
        for (int i = 0; i < 1000; i++) assertNull(s.find(t, 43 + i, new Plain(i), 0, 0));
        assertEquals(0, t.compares + t.matches);
    }

    @Test
    void changingAnAbsentKeyThrows() {
        Policy t = new Policy();
        Stash s = Stash.EMPTY.plus(t, 1, new Ranked(1), 0, 0, new Ranked(1), "a");
        assertThrows(IllegalStateException.class, () -> s.minus(t, 1, new Ranked(2), 0, 0));
        assertThrows(IllegalStateException.class, () -> s.withEntry(t, 1, new Ranked(2), 0, 0, new Ranked(2), "b"));
        assertThrows(IllegalStateException.class, () -> Stash.EMPTY.minus(t, 1, new Ranked(2), 0, 0));
        assertEquals(0, Stash.EMPTY.entries().length);
        assertEquals(0, Stash.EMPTY.size());
    }
}
