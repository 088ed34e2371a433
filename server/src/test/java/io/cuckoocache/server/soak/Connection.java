package io.cuckoocache.server.soak;

import java.io.IOException;

/** What a soak client asks of the server, in either protocol; replies in the text protocol's words. */
interface Connection extends AutoCloseable {
    /** A reply the checker cannot place: the stream may be out of step, so the connection is dropped. */
    final class UnexpectedReply extends IOException {
        UnexpectedReply(String what, String reply) {
            super(what + ": unexpected reply '" + reply + "'");
        }
    }

    /** One item of a get/gets answer ({@code casUnique} -1 when not asked for). */
    record Hit(byte[] value, long casUnique) {
    }

    /** "set" (casUnique ignored) or "cas": STORED, EXISTS, NOT_FOUND or NOT_STORED. */
    String store(String command, String key, byte[] value, long casUnique) throws IOException;

    /** DELETED or NOT_FOUND. */
    String delete(String key) throws IOException;

    /** The new value, or -1 for NOT_FOUND (never created). */
    long incr(String key, long delta) throws IOException;

    /** The item, with its CAS unique if asked ("gets"), or null for a miss. */
    Hit get(String key, boolean withCas) throws IOException;

    @Override
    void close();
}
