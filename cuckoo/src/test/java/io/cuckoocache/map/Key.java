package io.cuckoocache.map;

/** A test key with a chosen hashCode, so tests decide which keys collide. */
final class Key {
    final int id;
    final int hash;

    Key(int id, int hash) {
        this.id = id;
        this.hash = hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key && ((Key) o).id == id;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Key(" + id + ", #" + hash + ")";
    }
}
