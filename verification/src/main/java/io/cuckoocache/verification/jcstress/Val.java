package io.cuckoocache.verification.jcstress;

/**
 * A map value derived from its key: the key's id and a version (final fields) and a check number (plain field).
 */
final class Val {
    final int keyId;
    final int version;
    int check;

    Val(int keyId) {
        this(keyId, 0);
    }

    Val(int keyId, int version) {
        this.keyId = keyId;
        this.version = version;
        this.check = checkFor(keyId);
    }

    private static int checkFor(int keyId) {
        return keyId * 31 + 7;
    }

    /** 0 = null, 1 = {@code keyId}'s own fully visible value, 2 = another key's value, 3 = a field not visible. */
    static int check(Val v, int keyId) {
        if (v == null) return 0;
        if (v.keyId != keyId) return 2;
        return v.check == checkFor(keyId) ? 1 : 3;
    }

    /** As {@link #check}, but a fully visible own value answers 1 + its version (so 1, 2, ...), other cases 0 / -2 / -3. */
    static int checkVersion(Val v, int keyId) {
        int c = check(v, keyId);
        return c == 1 ? 1 + v.version : c == 0 ? 0 : -c;
    }
}
