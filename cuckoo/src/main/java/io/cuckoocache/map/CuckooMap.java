package io.cuckoocache.map;

import io.cuckoocache.table.CuckooTable;
import io.cuckoocache.table.Cursor;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link ConcurrentMap} on a concurrent Cuckoo hash table: reads take no lock and allocate nothing, writes lock
 * two small stripes, and entries live in parallel arrays rather than node objects.
 * <p>
 * Like {@link java.util.concurrent.ConcurrentHashMap}: null keys and values are rejected; iterators of the views are
 * weakly consistent (never {@link java.util.ConcurrentModificationException}; every key present for the whole
 * traversal is returned exactly once; changes made during it may or may not be seen); {@code size} is exact when no
 * writer runs; the functions given to {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} and
 * {@code merge} are applied atomically, at most once per call, under the key's stripe locks, so they must be short;
 * they may read this map, but if they update or traverse it (or call another map whose function does) that call
 * throws {@link IllegalStateException} ("Recursive update") instead of waiting forever for a lock the thread holds,
 * and the map is left as it was before the outer call.
 *
 * @param <K> key type
 * @param <V> value type
 */
public class CuckooMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
    private static final int PUT = CuckooTable.MAY_INSERT | 1;
    private static final int PUT_IF_ABSENT = CuckooTable.MAY_INSERT | 2;
    private static final int REPLACE = 3;
    private static final int REPLACE_IF_EQUAL = 4;
    private static final int REMOVE = 5;
    private static final int REMOVE_IF_EQUAL = 6;
    private static final int COMPUTE = CuckooTable.MAY_INSERT | 7;
    private static final int COMPUTE_IF_ABSENT = CuckooTable.MAY_INSERT | 8;
    private static final int COMPUTE_IF_PRESENT = 9;
    private static final int MERGE = CuckooTable.MAY_INSERT | 10;

    private final Table table;
    private KeySet keySet;
    private Values values;
    private EntrySet entrySet;

    /** An empty map with a small initial capacity. */
    public CuckooMap() {
        this(16);
    }

    /**
     * An empty map that holds {@code initialCapacity} entries before it first grows.
     *
     * @param initialCapacity the number of entries to make room for
     * @throws IllegalArgumentException if {@code initialCapacity} is negative
     */
    public CuckooMap(int initialCapacity) {
        this(initialCapacity, ThreadLocalRandom.current().nextInt());
    }

    /** With a chosen hash seed, so that tests can place keys in chosen buckets. */
    CuckooMap(int initialCapacity, int seed) {
        table = new Table(initialCapacity, seed);
    }

    /**
     * A map with the same mappings as {@code m}.
     *
     * @param m the mappings to copy
     */
    public CuckooMap(Map<? extends K, ? extends V> m) {
        this(m.size());
        putAll(m);
    }

    /** The table, for tests and benchmarks in this module and the verification module. */
    CuckooTable table() {
        return table;
    }

    private int hash(Object key) {
        return CuckooTable.spread(key.hashCode(), table.seed);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) table.get(hash(key), key, 0, 0);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value);
        for (Cursor c = table.cursor(); c.advance(); ) {
            if (value.equals(c.value())) return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private V update(Object key, int op, Object arg) {
        return (V) table.update(hash(key), key, 0, 0, op, arg);
    }

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(value);
        return update(key, PUT, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value);
        return update(key, PUT_IF_ABSENT, value);
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value);
        return update(key, REPLACE, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue);
        Objects.requireNonNull(newValue);
        Outcome out = new Outcome(key, oldValue);
        out.value = newValue;
        update(key, REPLACE_IF_EQUAL, out);
        return out.changed;
    }

    @Override
    public V remove(Object key) {
        return update(key, REMOVE, null);
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key);
        if (value == null) return false;
        Outcome out = new Outcome(key, value);
        update(key, REMOVE_IF_EQUAL, out);
        return out.changed;
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return compute(key, COMPUTE_IF_ABSENT, fn);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return compute(key, COMPUTE_IF_PRESENT, fn);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return compute(key, COMPUTE, fn);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
        Objects.requireNonNull(value);
        Objects.requireNonNull(fn);
        Outcome out = new Outcome(key, fn);
        out.value = value;
        update(key, MERGE, out);
        return out.result();
    }

    private V compute(K key, int op, Object fn) {
        Outcome out = new Outcome(key, fn);
        update(key, op, out);
        return out.result();
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        m.forEach(this::put);
    }

    @Override
    public void clear() {
        table.clear();
    }

    @Override
    public int size() {
        return (int) Math.min(table.size(), Integer.MAX_VALUE);
    }

    /** {@return the number of mappings, as a long} The table may hold more than {@code Integer.MAX_VALUE}. */
    public long mappingCount() {
        return table.size();
    }

    @Override
    public boolean isEmpty() {
        return table.size() == 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        for (Cursor c = table.cursor(); c.advance(); ) {
            action.accept((K) c.key(), (V) c.value());
        }
    }

    @Override
    public Set<K> keySet() {
        KeySet ks = keySet;
        return ks != null ? ks : (keySet = new KeySet());
    }

    @Override
    public Collection<V> values() {
        Values vs = values;
        return vs != null ? vs : (values = new Values());
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        EntrySet es = entrySet;
        return es != null ? es : (entrySet = new EntrySet());
    }

    /** Carries a function and its outcome through {@link CuckooTable#update}. */
    private static final class Outcome {
        final Object key;
        final Object arg;
        Object value;
        boolean changed;

        Outcome(Object key, Object arg) {
            this.key = key;
            this.arg = arg;
        }

        @SuppressWarnings("unchecked")
        <V> V result() {
            return (V) value;
        }
    }

    private static final class Table extends CuckooTable {
        final int seed;

        Table(int expectedEntries, int seed) {
            super(expectedEntries, false);
            this.seed = seed;
        }

        @Override
        protected boolean keyMatches(Object storedKey, Object probe, int off, int len) {
            return probe == storedKey || probe.equals(storedKey);
        }

        @Override
        protected int hashOfStored(Object storedKey) {
            return spread(storedKey.hashCode(), seed);
        }

        @Override
        protected Object keyToStore(Object probe, int off, int len, Object value) {
            return probe;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected Object apply(int op, Object arg, Object storedKey, Object current) {
            switch (op) {
                case PUT:
                case REPLACE:
                    return arg;
                case PUT_IF_ABSENT:
                    return current != null ? current : arg;
                case REPLACE_IF_EQUAL: {
                    Outcome out = (Outcome) arg;
                    out.changed = out.arg.equals(current);
                    return out.changed ? out.value : current;
                }
                case REMOVE:
                    return null;
                case REMOVE_IF_EQUAL: {
                    Outcome out = (Outcome) arg;
                    out.changed = out.arg.equals(current);
                    return out.changed ? null : current;
                }
                case COMPUTE_IF_ABSENT:
                case COMPUTE:
                case COMPUTE_IF_PRESENT:
                case MERGE:
                    return applyFunction(op, (Outcome) arg, current);
                default:
                    throw new AssertionError(op);
            }
        }

        /** Calls the user's function, marked as user code so that its updates of this map throw (not hang). */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object applyFunction(int op, Outcome out, Object current) {
            if (op == COMPUTE_IF_ABSENT && current != null) {
                out.value = current;
                return current;
            }
            if (op == MERGE && current == null) return out.value;
            enterUserCode();
            try {
                if (op == COMPUTE_IF_ABSENT) out.value = ((Function) out.arg).apply(out.key);
                else if (op == MERGE) out.value = ((BiFunction) out.arg).apply(current, out.value);
                else out.value = ((BiFunction) out.arg).apply(out.key, current);
                return out.value;
            } finally {
                exitUserCode();
            }
        }
    }

    /** Iterates the table through a {@link Cursor}; {@code remove} removes the last key returned. */
    private abstract class TableIterator<T> implements Iterator<T> {
        private final Cursor cursor = table.cursor();
        private boolean ready;
        private Object lastKey;

        @Override
        public boolean hasNext() {
            if (!ready) ready = cursor.advance();
            return ready;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            ready = false;
            lastKey = cursor.key();
            return element((K) cursor.key(), (V) cursor.value());
        }

        abstract T element(K key, V value);

        @Override
        public void remove() {
            if (lastKey == null) throw new IllegalStateException();
            CuckooMap.this.remove(lastKey);
            lastKey = null;
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new TableIterator<>() {
                @Override
                K element(K key, V value) {
                    return key;
                }
            };
        }

        @Override
        public int size() {
            return CuckooMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return CuckooMap.this.remove(o) != null;
        }

        @Override
        public void clear() {
            CuckooMap.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new TableIterator<>() {
                @Override
                V element(K key, V value) {
                    return value;
                }
            };
        }

        @Override
        public int size() {
            return CuckooMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            CuckooMap.this.clear();
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new TableIterator<>() {
                @Override
                Map.Entry<K, V> element(K key, V value) {
                    return new WriteThroughEntry(key, value);
                }
            };
        }

        @Override
        public int size() {
            return CuckooMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) return false;
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object v = e.getKey() == null ? null : get(e.getKey());
            return v != null && v.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) return false;
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return e.getKey() != null && CuckooMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            CuckooMap.this.clear();
        }
    }

    /** An entry whose {@code setValue} writes through to the map, as ConcurrentHashMap's do. */
    private final class WriteThroughEntry extends SimpleEntry<K, V> {
        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value);
            V old = super.setValue(value);
            put(getKey(), value);
            return old;
        }
    }
}
