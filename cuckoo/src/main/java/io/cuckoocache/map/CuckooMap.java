package io.cuckoocache.map;

import io.cuckoocache.table.CuckooTable;
import io.cuckoocache.table.Cursor;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link ConcurrentMap} on a concurrent Cuckoo hash table: reads take no lock and allocate nothing, writes lock
 * two small stripes, and entries live in parallel arrays rather than node objects.
 * <p>
 * Like {@link java.util.concurrent.ConcurrentHashMap}: null keys and values are rejected; iterators of the views are
 * weakly consistent (never {@link java.util.ConcurrentModificationException}; every key present for the whole
 * traversal is returned exactly once; changes made during it may or may not be seen); {@code size} is exact when no
 * writer runs; the functions given to {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} and
 * {@code merge} are applied atomically, at most once per call, under the key's stripe locks, so they must be short;
 * they may read this map, but an update or traversal of it from inside one (directly, or through another map whose
 * function is running inside) throws {@link IllegalStateException} ("Recursive update") instead of waiting forever
 * for a lock the thread holds; if that exception leaves the function, the outer call changes nothing.
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

    /** Whether a class {@code C} declares {@code implements Comparable<C>} (or is String): its keys order the stash. */
    private static final ClassValue<Boolean> SELF_COMPARABLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            if (c == String.class) return true;
            for (java.lang.reflect.Type t : c.getGenericInterfaces()) {
                if (t instanceof java.lang.reflect.ParameterizedType p && p.getRawType() == Comparable.class
                        && p.getActualTypeArguments().length == 1 && p.getActualTypeArguments()[0] == c) {
                    return true;
                }
            }
            return false;
        }
    };

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

        /**
         * Keys of one class {@code C} that implements {@code Comparable<C>} itself are ordered by {@code compareTo}
         * (as {@code ConcurrentHashMap}'s tree bins do); any other pair is {@link #INCOMPARABLE}, so no cast can fail.
         */
        @Override
        @SuppressWarnings("unchecked")
        protected int compareKeys(Object storedKey, Object probe, int off, int len) {
            Class<?> c = probe.getClass();
            if (storedKey.getClass() != c || !SELF_COMPARABLE.get(c)) return INCOMPARABLE;
            return Integer.signum(((Comparable<Object>) storedKey).compareTo(probe));
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

    // ---------------------------------------------------------------- views

    /**
     * What the three views share: weakly consistent iteration and spliterators over one {@link Cursor} each, and
     * removal of an element only while its entry still holds what was seen (see {@link #removeSeen}).
     */
    private abstract class View<T> extends AbstractCollection<T> {
        private final int characteristics;

        View(int characteristics) {
            this.characteristics = characteristics;
        }

        /** The element an entry shows in this view. */
        abstract T element(K key, V value);

        /** Removes the entry of {@code key} if it still holds what {@code seen}, its element, showed. */
        abstract boolean removeSeen(Object key, T seen);

        @Override
        public final Iterator<T> iterator() {
            return new TableIterator<>(this);
        }

        @Override
        public final Spliterator<T> spliterator() {
            return new TableSpliterator<>(this, characteristics);
        }

        @Override
        public final boolean removeIf(Predicate<? super T> filter) {
            Objects.requireNonNull(filter);
            boolean removed = false;
            for (TableIterator<T> it = new TableIterator<>(this); it.hasNext(); ) {
                if (filter.test(it.next()) && it.removeSeen()) removed = true;
            }
            return removed;
        }

        @Override
        public final boolean removeAll(Collection<?> c) {
            Objects.requireNonNull(c);
            return removeIf(c::contains);
        }

        @Override
        public final boolean retainAll(Collection<?> c) {
            Objects.requireNonNull(c);
            return removeIf(e -> !c.contains(e));
        }

        @Override
        public final int size() {
            return CuckooMap.this.size();
        }

        @Override
        public final boolean isEmpty() {
            return CuckooMap.this.isEmpty();
        }

        @Override
        public final void clear() {
            CuckooMap.this.clear();
        }
    }

    /** A view that is a {@link Set}: equal to a set holding the same elements, compared both ways as CHM does. */
    private abstract class SetView<T> extends View<T> implements Set<T> {
        SetView() {
            super(Spliterator.CONCURRENT | Spliterator.DISTINCT | Spliterator.NONNULL);
        }

        @Override
        public final boolean equals(Object o) {
            if (o == this) return true;
            if (!(o instanceof Set)) return false;
            Set<?> other = (Set<?>) o;
            try {
                return containsAll(other) && other.containsAll(this);
            } catch (ClassCastException | NullPointerException notOurs) {
                return false;
            }
        }

        @Override
        public final int hashCode() {
            int h = 0;
            for (T e : this) h += e.hashCode();
            return h;
        }
    }

    /** A cursor over the table; {@code remove} removes the last element returned only if its entry still shows it. */
    private final class TableIterator<T> implements Iterator<T> {
        private final View<T> view;
        private final Cursor cursor = table.cursor();
        private boolean ready;
        private Object lastKey;
        private T last;

        TableIterator(View<T> view) {
            this.view = view;
        }

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
            last = view.element((K) lastKey, (V) cursor.value());
            return last;
        }

        @Override
        public void remove() {
            removeSeen();
        }

        /** Removes the last element returned if its entry still shows it; whether it did. */
        boolean removeSeen() {
            if (lastKey == null) throw new IllegalStateException();
            Object key = lastKey;
            lastKey = null;
            return view.removeSeen(key, last);
        }
    }

    /**
     * A view's spliterator: one {@link Cursor}, so every key present for the whole traversal is returned exactly once,
     * by exactly one of the parts. {@code trySplit} hands out the cursor's next elements as an array, in batches
     * growing by {@value #BATCH} (as {@code Spliterators.iteratorSpliterator} does, but CONCURRENT and never SIZED).
     * Splitting the bucket range instead would need the parts to share the cursor's record of keys hopping across
     * its position, since a key can hop between buckets of different parts.
     */
    private final class TableSpliterator<T> implements Spliterator<T> {
        private static final int BATCH = 1 << 10;
        private static final int MAX_BATCH = 1 << 25;

        private final View<T> view;
        private final int characteristics;
        private final Cursor cursor = table.cursor();
        private long estimate = mappingCount();
        private int batch;

        TableSpliterator(View<T> view, int characteristics) {
            this.view = view;
            this.characteristics = characteristics;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean tryAdvance(Consumer<? super T> action) {
            Objects.requireNonNull(action);
            if (!cursor.advance()) return false;
            action.accept(view.element((K) cursor.key(), (V) cursor.value()));
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Spliterator<T> trySplit() {
            int n = Math.min(batch + BATCH, MAX_BATCH);
            Object[] a = new Object[n];
            int i = 0;
            while (i < n && cursor.advance()) a[i++] = view.element((K) cursor.key(), (V) cursor.value());
            if (i == 0) return null;
            batch = n;
            estimate = Math.max(0, estimate - i);
            return Spliterators.spliterator(a, 0, i, characteristics);
        }

        @Override
        public long estimateSize() {
            return estimate;
        }

        @Override
        public int characteristics() {
            return characteristics;
        }
    }

    private final class KeySet extends SetView<K> {
        @Override
        K element(K key, V value) {
            return key;
        }

        /** By key, as in ConcurrentHashMap: a key-set element shows no value. */
        @Override
        boolean removeSeen(Object key, K seen) {
            return CuckooMap.this.remove(key) != null;
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return CuckooMap.this.remove(o) != null;
        }
    }

    private final class Values extends View<V> {
        Values() {
            super(Spliterator.CONCURRENT | Spliterator.NONNULL);
        }

        @Override
        V element(K key, V value) {
            return value;
        }

        @Override
        boolean removeSeen(Object key, V seen) {
            return CuckooMap.this.remove(key, seen);
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        /** Removes one entry holding a value equal to {@code o}, unless each one found changed before removal. */
        @Override
        public boolean remove(Object o) {
            if (o == null) return false;
            for (TableIterator<V> it = new TableIterator<>(this); it.hasNext(); ) {
                if (o.equals(it.next()) && it.removeSeen()) return true;
            }
            return false;
        }
    }

    private final class EntrySet extends SetView<Map.Entry<K, V>> {
        @Override
        Map.Entry<K, V> element(K key, V value) {
            return new WriteThroughEntry(key, value);
        }

        /** With the entry's value now: after its {@code setValue}, that is the value the map holds. */
        @Override
        boolean removeSeen(Object key, Map.Entry<K, V> seen) {
            return CuckooMap.this.remove(key, seen.getValue());
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
