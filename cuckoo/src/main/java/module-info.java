/** cuckoocache engine: CuckooMap and the memcached item store. */
module io.cuckoocache.cuckoo {
    exports io.cuckoocache.map;
    exports io.cuckoocache.store;
}
