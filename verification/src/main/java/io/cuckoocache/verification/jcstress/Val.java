package io.cuckoocache.verification.jcstress;

/** A map value derived from its key: the key's id (final field) and a check number (plain field). */
final class Val {
    final int keyId;
    int check;

    Val(int keyId) {
        this.keyId = keyId;
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
}
