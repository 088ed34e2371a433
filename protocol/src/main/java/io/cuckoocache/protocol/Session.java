package io.cuckoocache.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One connection's protocol: request bytes in, store calls, reply bytes out. The text and the binary protocol
 * implement it; the server drives it without knowing which it has. Not thread-safe: one per connection, called
 * from its event loop only.
 *
 * <h2>How to drive a session</h2>
 * Append what the connection reads to one cumulation buffer, in order, and call {@link #process} on it. A call
 * consumes the complete requests at the front of {@code in} (and the part of a value or skipped body that has
 * arrived), appends their replies to {@code out}, and leaves an incomplete request unread. It also returns early,
 * with complete requests left in {@code in}, once its replies pass {@link ProtocolConfig#outputPerCall()} bytes, so
 * one call's output is at most that bound plus one reply: write {@code out}, and call again while calls make progress
 * and the connection can take more. A partial request that grows past any legal size (the item size limit plus
 * headers) gets {@link #inputTooLarge} and the connection closes.
 */
public interface Session {
    /**
     * Consumes requests from {@code in}, advancing its reader index, and appends their replies to {@code out}.
     *
     * @param in  the connection's unread input
     * @param out where replies go
     * @return what the connection does once {@code out} is written
     */
    Verdict process(ByteBuf in, ByteBuf out);

    /**
     * The input holds a partial request larger than any legal one: appends the protocol's answer, if it has one,
     * before the connection is closed.
     *
     * @param out where the answer goes
     */
    void inputTooLarge(ByteBuf out);

    /**
     * {@return the protocol's name, for logs: "text" or "binary"}
     */
    String name();
}
