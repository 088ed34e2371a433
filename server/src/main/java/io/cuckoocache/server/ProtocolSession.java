package io.cuckoocache.server;

import io.netty.buffer.ByteBuf;

/**
 * One connection's protocol state: the text or the binary session behind one interface, so the connection handler
 * does not care which it drives.
 */
interface ProtocolSession {
    /** What the connection does after a call. */
    enum Result {
        /** Keep serving. */
        CONTINUE,
        /** Write what was produced, then close the connection (quit). */
        CLOSE,
        /** Write what was produced, close, and stop the server (shutdown, with -A). */
        SHUTDOWN
    }

    /**
     * Consumes the complete requests at the front of {@code in} (advancing its reader index) and appends their
     * replies to {@code out}; leaves an incomplete request unconsumed.
     */
    Result process(ByteBuf in, ByteBuf out);

    /** "text" or "binary", for logs. */
    String protocolName();
}
