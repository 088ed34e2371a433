package io.cuckoocache.bench;

import io.cuckoocache.map.CuckooMap;
import io.cuckoocache.table.CuckooTable;
import org.jctools.maps.NonBlockingHashMap;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

/**
 * The maps under test, by the name used in the {@code impl} benchmark parameter, and (for the JOL and growth tools)
 * reflective probes of their capacity and of whether they are resizing. Benchmarks themselves use only the
 * {@link ConcurrentMap} interface.
 */
public final class Maps {
    public static final String CUCKOO = "cuckoo";
    /** java.util.concurrent.ConcurrentHashMap. */
    public static final String CHM = "chm";
    /** org.jctools.maps.NonBlockingHashMap. */
    public static final String NBHM = "nbhm";

    private Maps() {
    }

    /** A default-constructed map (default initial capacity), as a user would make it. */
    public static ConcurrentMap<Object, Object> create(String impl) {
        switch (impl) {
            case CUCKOO:
                return new CuckooMap<>();
            case CHM:
                return new ConcurrentHashMap<>();
            case NBHM:
                return new NonBlockingHashMap<>();
            default:
                throw new IllegalArgumentException("unknown map: " + impl + " (cuckoo, chm, nbhm)");
        }
    }

    /**
     * A map sized for {@code expected} entries through its capacity constructor. For these sizes (1M, 10M) CuckooMap
     * and ConcurrentHashMap end up with exactly the table a default-constructed map grows to (2M resp. 16M slots),
     * so this only saves the benchmark setup the growth; NonBlockingHashMap sizes its table to at least 4x
     * {@code expected}.
     */
    public static ConcurrentMap<Object, Object> create(String impl, int expected) {
        switch (impl) {
            case CUCKOO:
                return new CuckooMap<>(expected);
            case CHM:
                return new ConcurrentHashMap<>(expected);
            case NBHM:
                return new NonBlockingHashMap<>(expected);
            default:
                throw new IllegalArgumentException("unknown map: " + impl + " (cuckoo, chm, nbhm)");
        }
    }

    /** A CuckooMap with a fixed hash seed (package-private constructor), so that a fill can be repeated exactly. */
    @SuppressWarnings("unchecked")
    public static CuckooMap<Object, Object> seededCuckoo(int initialCapacity, int seed) {
        try {
            Constructor<?> c = CuckooMap.class.getDeclaredConstructor(int.class, int.class);
            c.setAccessible(true);
            return (CuckooMap<Object, Object>) c.newInstance(initialCapacity, seed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("CuckooMap(int, int) not reachable", e);
        }
    }

    /** The engine table behind a CuckooMap (a package-private accessor in the engine). */
    public static CuckooTable cuckooTable(CuckooMap<?, ?> map) {
        try {
            Field f = CuckooMap.class.getDeclaredField("table");
            f.setAccessible(true);
            return (CuckooTable) f.get(map);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("CuckooMap.table not reachable", e);
        }
    }

    /**
     * Slots the map has now (Cuckoo: buckets x 4; CHM: bins; NBHM: length of its newest table), or -1 if it cannot be read
     * (ConcurrentHashMap needs {@code --add-opens java.base/java.util.concurrent=ALL-UNNAMED}).
     */
    public static long capacity(ConcurrentMap<?, ?> map) {
        try {
            if (map instanceof CuckooMap) {
                return cuckooTable((CuckooMap<?, ?>) map).slotCount();
            }
            if (map instanceof ConcurrentHashMap) {
                Object[] t = (Object[]) field(ConcurrentHashMap.class, "table").get(map);
                return t == null ? 0 : t.length;
            }
            if (map instanceof NonBlockingHashMap) {
                // The newest table: NBHM allocates it when a resize starts and promotes it when the copy is done.
                Object[] kvs = (Object[]) field(NonBlockingHashMap.class, "_kvs").get(map);
                Field newkvs = field(Class.forName("org.jctools.maps.NonBlockingHashMap$CHM"), "_newkvs");
                for (Object[] n; (n = (Object[]) newkvs.get(kvs[0])) != null; ) kvs = n;
                return (kvs.length - 2) >> 1;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Whether the map is resizing right now, read without locks (Cuckoo: a growth is copying; CHM: a transfer
     * table exists; NBHM: a newer table exists). Always false if it cannot be read.
     */
    public static BooleanSupplier resizing(ConcurrentMap<?, ?> map) {
        try {
            if (map instanceof CuckooMap) {
                CuckooTable t = cuckooTable((CuckooMap<?, ?>) map);
                return t::isGrowing;
            }
            if (map instanceof ConcurrentHashMap) {
                Field f = field(ConcurrentHashMap.class, "nextTable");
                return () -> get(f, map) != null;
            }
            if (map instanceof NonBlockingHashMap) {
                Field kvs = field(NonBlockingHashMap.class, "_kvs");
                Class<?> chm = Class.forName("org.jctools.maps.NonBlockingHashMap$CHM");
                Field newkvs = field(chm, "_newkvs");
                return () -> {
                    Object[] a = (Object[]) get(kvs, map);
                    return get(newkvs, a[0]) != null;
                };
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // fall through
        }
        return () -> false;
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
