package io.cuckoocache.verification;

/**
 * A map key whose {@code hashCode} is chosen by the test, so that tests decide which keys share buckets. Equality is
 * by {@code id} only; the hash is whatever makes the key land where the test wants it (see {@link Hashes}).
 */
public final class ChosenKey {
    public final int id;
    private final int hash;

    public ChosenKey(int id, int hash) {
        this.id = id;
        this.hash = hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChosenKey && ((ChosenKey) o).id == id;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "K" + id;
    }
}
