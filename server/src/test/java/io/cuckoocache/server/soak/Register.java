package io.cuckoocache.server.soak;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's model of one value key: every write (set, successful cas) carries a value used nowhere else, and
 * every delete is an "absent" version of its own, so an answer names the version it came from.
 *
 * <p>A version W is a legal answer for an operation that ran from {@code s} to {@code e} (System.nanoTime, taken
 * before the request was sent and after the reply arrived) iff W was invoked before {@code e} and no effective
 * version X both began after W ended and ended before {@code s}: then X certainly overwrote W before the operation
 * began. That is necessary for any linearizable history, so a flagged answer is impossible, never a false alarm.
 * Versions whose outcome is not known yet count as pending (legal, never overwriting) — lenient, so still sound.
 *
 * <p>Versions that no running or future operation can legally see are dropped ({@link #prune}); their ids are
 * remembered in a bounded list only to name a stale answer as stale.
 */
final class Register {
    static final long PENDING = Long.MAX_VALUE;
    private static final int RETIRED_REMEMBERED = 4096;

    /** One write or delete. Ids are unique per run; the initial "never written" version is id 0. */
    static final class Version {
        final long id;
        final boolean absent;
        final long start;
        long end = PENDING;
        boolean effective;
        boolean failed;
        /** A read returned it while it was pending: if it then fails, that read was impossible. */
        boolean observed;
        long casUnique = -1;
        int casSuccesses;

        Version(long id, boolean absent, long start) {
            this.id = id;
            this.absent = absent;
            this.start = start;
        }
    }

    private final String key;
    private final Map<Long, Version> versions = new LinkedHashMap<>();
    private final Map<Long, Long> versionByCasUnique = new LinkedHashMap<>();
    private final Map<Long, Boolean> retired = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > RETIRED_REMEMBERED;
        }
    };

    Register(String key, long createdAt) {
        this.key = key;
        Version initial = new Version(0, true, Long.MIN_VALUE);
        initial.end = createdAt;
        initial.effective = true;
        versions.put(0L, initial);
    }

    String key() {
        return key;
    }

    /** Registers a write or delete before its request is sent. */
    synchronized Version begin(long id, boolean absent, long start) {
        Version v = new Version(id, absent, start);
        versions.put(id, v);
        return v;
    }

    /** Records the outcome; returns a violation, or null. */
    synchronized String end(Version v, boolean effective, long end) {
        v.end = end;
        if (effective) {
            v.effective = true;
            return null;
        }
        v.failed = true;
        versions.remove(v.id);
        retired.put(v.id, Boolean.TRUE);
        return v.observed ? "a read returned version " + v.id + " of a write that then did not take effect" : null;
    }

    /** The latest start among effective versions that ended before {@code s}: older-ending versions are gone. */
    private long overwrittenBefore(long s) {
        long m = Long.MIN_VALUE;
        for (Version x : versions.values()) {
            if (x.effective && x.end < s && x.start > m) m = x.start;
        }
        return m;
    }

    private static boolean legal(Version w, long barrier, long e) {
        return !w.failed && w.start < e && w.end >= barrier;
    }

    /** A read (get, gets, or the value a successful cas replaced) answered with version {@code id}. */
    synchronized String checkValue(long id, long s, long e, String what) {
        Version w = versions.get(id);
        if (w == null) {
            return what + " returned version " + id + (retired.containsKey(id)
                    ? ", which had been overwritten before the operation began (stale)"
                    : ", which was never written to this key (or was overwritten long before)");
        }
        if (w.absent) return what + " returned version " + id + ", which is a delete";
        if (!legal(w, overwrittenBefore(s), e)) {
            return what + " returned version " + id + ", overwritten before the operation began (stale): "
                    + describe(w, s, e);
        }
        if (w.end == PENDING) w.observed = true;
        return null;
    }

    /** Whether some version other than {@code self} with the given presence is a legal answer. */
    private boolean anyLegal(boolean absent, long s, long e, Version self, Version except) {
        long barrier = overwrittenBefore(s);
        for (Version w : versions.values()) {
            if (w != self && w != except && w.absent == absent && legal(w, barrier, e)) return true;
        }
        return false;
    }

    /** A miss (get END, delete NOT_FOUND, cas NOT_FOUND). */
    synchronized String checkAbsent(long s, long e, Version self, String what) {
        return anyLegal(true, s, e, self, null) ? null
                : what + " found no item, but every legal state had one: " + describe(null, s, e);
    }

    /** A hit whose value is not named (delete DELETED; cas EXISTS: some value other than {@code except}). */
    synchronized String checkPresent(long s, long e, Version self, Version except, String what) {
        return anyLegal(false, s, e, self, except) ? null
                : what + " found an item, but no legal state had one" + (except == null ? "" : " other than "
                + except.id) + ": " + describe(null, s, e);
    }

    /** A gets answer's CAS unique: one per version, one version per unique. */
    synchronized String checkCasUnique(long id, long unique) {
        Version w = versions.get(id);
        if (w == null) return null; // already reported by checkValue
        if (w.casUnique >= 0 && w.casUnique != unique) {
            return "version " + id + " reported CAS unique " + unique + " after " + w.casUnique;
        }
        w.casUnique = unique;
        Long other = versionByCasUnique.putIfAbsent(unique, id);
        return other != null && other != id ? "CAS unique " + unique + " given to versions " + other + " and " + id
                : null;
    }

    /** A cas that succeeded against version {@code replaced} (which a gets returned). */
    synchronized String casSucceeded(Version replaced, long s, long e) {
        if (replaced == null) return null;
        String stale = checkValue(replaced.id, s, e, "cas");
        if (stale != null) return stale;
        return ++replaced.casSuccesses > 1
                ? replaced.casSuccesses + " cas commands succeeded with the unique of version " + replaced.id : null;
    }

    synchronized Version version(long id) {
        return versions.get(id);
    }

    /**
     * Drops versions no operation can legally see any more: overwritten by a version that ended before
     * {@code lowWater}, a time before the start of every running and future operation.
     */
    synchronized void prune(long lowWater) {
        long barrier = overwrittenBefore(lowWater);
        Iterator<Version> it = versions.values().iterator();
        while (it.hasNext()) {
            Version w = it.next();
            if (w.end < barrier) {
                it.remove();
                retired.put(w.id, Boolean.TRUE);
                if (w.casUnique >= 0) versionByCasUnique.remove(w.casUnique);
            }
        }
    }

    synchronized int size() {
        return versions.size();
    }

    private String describe(Version w, long s, long e) {
        List<String> parts = new ArrayList<>();
        for (Version x : versions.values()) {
            if (parts.size() == 12) {
                parts.add("...");
                break;
            }
            parts.add((x == w ? "*" : "") + x.id + (x.absent ? "(del)" : "") + "[" + rel(x.start, s) + ".."
                    + (x.end == PENDING ? "pending" : rel(x.end, s)) + (x.effective ? "" : x.failed ? " failed" : "")
                    + "]");
        }
        return key + " op[0.." + (e - s) + "ns] versions " + parts;
    }

    private static String rel(long t, long s) {
        return t == Long.MIN_VALUE ? "-inf" : Long.toString(t - s);
    }
}
