package io.cuckoocache.verification;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/**
 * Linearizability of the item store's twelve memcached operations (set, add, replace, append, prepend, cas, incr,
 * decr, delete, touch, get, gets) and of the warm restart's {@code restore} against {@link Spec}, a plain sequential
 * model of their memcached 1.6.18 semantics, on a {@link TinyStore} (2-bucket table, nearly full, clock standing
 * still).
 * <p>
 * CAS uniques are not compared as numbers (the counter is global, so its values depend on the interleaving of
 * unrelated keys); instead {@code cas} offers either the unique the key got at prefill ({@code which = 0}: succeeds
 * iff the item was not changed since) or one never issued ({@code which = 1}: always EXISTS), and {@code gets}
 * reports whether the unique is still the prefill one. Values are decimal digits, so incr and decr apply to them,
 * including after append/prepend and the space padding decr leaves ("10" minus 5 reads "5 ").
 */
@Param(name = "key", gen = IntGen.class, conf = "0:4")
@Param(name = "digit", gen = IntGen.class, conf = "1:3")
@Param(name = "which", gen = IntGen.class, conf = "0:1")
public class ItemStoreLincheckTest {
    final TinyStore s = new TinyStore();
    private final ItemStore store = s.store;

    private String store(Mode mode, int key, int digit, long cas) {
        byte[] k = s.keys[key];
        return store.store(mode, k, 0, k.length, cas, TinyStore.bytes(Integer.toString(digit)), 0, 0, new Outcome())
                .name();
    }

    @Operation
    public String set(@Param(name = "key") int key, @Param(name = "digit") int digit) {
        return store(Mode.SET, key, digit, 0);
    }

    @Operation
    public String add(@Param(name = "key") int key, @Param(name = "digit") int digit) {
        return store(Mode.ADD, key, digit, 0);
    }

    @Operation
    public String replace(@Param(name = "key") int key, @Param(name = "digit") int digit) {
        return store(Mode.REPLACE, key, digit, 0);
    }

    @Operation
    public String append(@Param(name = "key") int key, @Param(name = "digit") int digit) {
        return store(Mode.APPEND, key, digit, 0);
    }

    @Operation
    public String prepend(@Param(name = "key") int key, @Param(name = "digit") int digit) {
        return store(Mode.PREPEND, key, digit, 0);
    }

    @Operation
    public String cas(@Param(name = "key") int key, @Param(name = "digit") int digit,
                      @Param(name = "which") int which) {
        return store(Mode.CAS, key, digit, which == 0 ? s.prefillCas[key] : TinyStore.NEVER_ISSUED);
    }

    @Operation
    public String incr(@Param(name = "key") int key, @Param(name = "digit") int delta) {
        byte[] k = s.keys[key];
        Outcome out = new Outcome();
        Status st = store.incr(k, 0, k.length, delta, out);
        return st == Status.STORED ? st + " " + Long.toUnsignedString(out.number()) : st.name();
    }

    @Operation
    public String decr(@Param(name = "key") int key, @Param(name = "digit") int delta) {
        byte[] k = s.keys[key];
        Outcome out = new Outcome();
        Status st = store.decr(k, 0, k.length, delta, out);
        return st == Status.STORED ? st + " " + Long.toUnsignedString(out.number()) : st.name();
    }

    @Operation
    public String delete(@Param(name = "key") int key) {
        byte[] k = s.keys[key];
        return store.delete(k, 0, k.length, new Outcome()).name();
    }

    /** which = 0: no expiry; which = 1: an exptime in the past (the item is gone, the answer still TOUCHED). */
    @Operation
    public String touch(@Param(name = "key") int key, @Param(name = "which") int which) {
        byte[] k = s.keys[key];
        return store.touch(k, 0, k.length, which == 0 ? 0 : -1, new Outcome()).name();
    }

    /** A saved item put back ({@link ItemStore#restore}) while the store serves: an add, with a unique of its own. */
    @Operation
    public String restore(@Param(name = "key") int key, @Param(name = "digit") int digit) {
        byte[] k = s.keys[key];
        byte[] value = TinyStore.bytes(Integer.toString(digit));
        byte[] item = store.prepare(k, 0, k.length, 0, value.length);
        System.arraycopy(value, 0, item, Item.valueOffset(item), value.length);
        return store.restore(item, 0, 0, new Outcome()).name();
    }

    @Operation
    public String get(@Param(name = "key") int key) {
        byte[] k = s.keys[key];
        byte[] it = store.get(k, 0, k.length);
        return it == null ? null : TinyStore.string(Item.value(it));
    }

    @Operation
    public String gets(@Param(name = "key") int key) {
        byte[] k = s.keys[key];
        byte[] it = store.get(k, 0, k.length);
        if (it == null) return null;
        return TinyStore.string(Item.value(it)) + (Item.cas(it) == s.prefillCas[key] ? "@prefill" : "@new");
    }

    /** memcached 1.6.18's semantics of these calls, one at a time. */
    public static class Spec {
        private final Map<Integer, String> values = new HashMap<>();
        private final Map<Integer, Boolean> prefillCas = new HashMap<>();

        public Spec() {
            for (int k = 0; k < TinyStore.PREFILLED_KEYS; k++) {
                values.put(k, TinyStore.PREFILL_VALUE);
                prefillCas.put(k, true);
            }
        }

        private String put(int key, String value) {
            values.put(key, value);
            prefillCas.put(key, false); // every change gets a new unique
            return "STORED";
        }

        public String set(int key, int digit) {
            return put(key, Integer.toString(digit));
        }

        public String add(int key, int digit) {
            return values.containsKey(key) ? "NOT_STORED" : put(key, Integer.toString(digit));
        }

        public String replace(int key, int digit) {
            return values.containsKey(key) ? put(key, Integer.toString(digit)) : "NOT_STORED";
        }

        public String append(int key, int digit) {
            return values.containsKey(key) ? put(key, values.get(key) + digit) : "NOT_STORED";
        }

        public String prepend(int key, int digit) {
            return values.containsKey(key) ? put(key, digit + values.get(key)) : "NOT_STORED";
        }

        public String cas(int key, int digit, int which) {
            if (!values.containsKey(key)) return "NOT_FOUND";
            return which == 0 && prefillCas.get(key) ? put(key, Integer.toString(digit)) : "EXISTS";
        }

        public String incr(int key, int delta) {
            return arithmetic(key, delta, true);
        }

        public String decr(int key, int delta) {
            return arithmetic(key, delta, false);
        }

        private String arithmetic(int key, int delta, boolean incr) {
            String v = values.get(key);
            if (v == null) return "NOT_FOUND";
            String digits = v.strip(); // leading spaces never occur; trailing ones come from decr's padding
            int end = digits.indexOf(' ');
            long n = Long.parseUnsignedLong(end < 0 ? digits : digits.substring(0, end));
            long next = incr ? n + delta : Long.compareUnsigned(n, delta) > 0 ? n - delta : 0;
            String text = Long.toUnsignedString(next);
            // Written back in the old width when it fits, padded with spaces (memcached rewrites in place).
            put(key, text.length() < v.length() ? text + " ".repeat(v.length() - text.length()) : text);
            return "STORED " + Long.toUnsignedString(next);
        }

        public String delete(int key) {
            return values.remove(key) != null ? "DELETED" : "NOT_FOUND";
        }

        public String touch(int key, int which) {
            if (!values.containsKey(key)) return "NOT_FOUND";
            if (which == 1) values.remove(key); // touched into the past: gone (the unique is kept otherwise)
            return "TOUCHED";
        }

        public String restore(int key, int digit) {
            return add(key, digit);
        }

        public String get(int key) {
            return values.get(key);
        }

        public String gets(int key) {
            String v = values.get(key);
            return v == null ? null : v + (prefillCas.get(key) ? "@prefill" : "@new");
        }
    }

    /** Keys 0..4 = k0..k4 (k0, k1 prefilled). */
    static <O extends Options<O, ?>> O directed(O options) {
        Class<?> c = ItemStoreLincheckTest.class;
        return options
                // Of two cas with the same (current) unique exactly one wins.
                .addCustomScenario(Directed.scenario(c).thread("cas", 0, 2, 0).thread("cas", 0, 3, 0)
                        .post("gets", 0).build())
                // Two increments both land.
                .addCustomScenario(Directed.scenario(c).thread("incr", 0, 1).thread("incr", 0, 2)
                        .post("get", 0).build())
                // Inserts fill and grow the table while prefilled keys are read and changed.
                .addCustomScenario(Directed.scenario(c).thread("add", 2, 1, "add", 3, 2)
                        .thread("gets", 0, "append", 1, 3).post("get", 1).build())
                // A restore racing an add of the same absent key: exactly one of them stores.
                .addCustomScenario(Directed.scenario(c).thread("restore", 2, 1).thread("add", 2, 2)
                        .post("get", 2).build())
                // A restore of a live key racing its delete: it stores only after the delete.
                .addCustomScenario(Directed.scenario(c).thread("restore", 0, 1).thread("delete", 0)
                        .post("gets", 0).build());
    }

    @Test
    void modelChecking() {
        directed(Budget.modelChecking(new ModelCheckingOptions())).sequentialSpecification(Spec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        directed(Budget.stress(new StressOptions())).sequentialSpecification(Spec.class).check(getClass());
    }
}
