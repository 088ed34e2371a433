package io.cuckoocache.textproto;

import io.cuckoocache.protocol.Driver;
import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.Clock;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * A TextSession driven the way a server drives it, without sockets: bytes appended to a cumulation buffer,
 * {@link TextSession#process} called after each read and again while a call consumes or answers something (a call
 * stops at its output bound), the replies taken from the output buffer.
 */
final class Wire {
    /** How the cumulation buffer is allocated: heap (array path) or direct (copy path). */
    enum Kind { HEAP, DIRECT }

    final ItemStore store;
    final TextSession session;
    private final ByteBuf in;
    private final ByteBuf out = Unpooled.buffer();
    Verdict action = Verdict.CONTINUE;
    /** Calls made, and the most reply bytes one call produced. */
    int calls;
    int largestCall;

    Wire(ItemStore store, ProtocolConfig config, StatsSource stats, Kind kind) {
        this.store = store;
        this.session = new TextSession(store, config, stats);
        this.in = kind == Kind.HEAP ? Unpooled.buffer() : Unpooled.directBuffer();
    }

    /** With the store's own stats, as an embedded session has them. */
    Wire(ItemStore store, ProtocolConfig config, Kind kind) {
        this(store, config, new StoreStats(store), kind);
    }

    Wire(ItemStore store, Kind kind) {
        this(store, ProtocolConfig.defaults(), kind);
    }

    Wire() {
        this(ItemStore.builder().build(), Kind.HEAP);
    }

    static ItemStore store(Clock clock) {
        return ItemStore.builder().clock(clock).build();
    }

    /** One read of {@code bytes}; returns the replies it produced. */
    byte[] read(byte[] bytes, int from, int to) {
        in.writeBytes(bytes, from, to - from);
        action = Driver.drive(session, in, out, produced -> {
            calls++;
            largestCall = Math.max(largestCall, produced);
        });
        in.discardSomeReadBytes();
        byte[] reply = new byte[out.readableBytes()];
        out.readBytes(reply);
        out.clear();
        return reply;
    }

    byte[] read(byte[] bytes) {
        return read(bytes, 0, bytes.length);
    }

    /** Sends {@code request} in one read and returns the replies as text (ISO-8859-1: one char per byte). */
    String send(String request) {
        return text(read(bytes(request)));
    }

    /** Bytes still waiting unread in the cumulation buffer. */
    int unread() {
        return in.readableBytes();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
