package io.cuckoocache.textproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Outcome;
import io.netty.buffer.ByteBuf;

/**
 * What a command handler is given, and all it is given: the request line's tokens, the store, the settings, the reply
 * buffer; and how it tells the framing ({@link TextSession}) what comes after the line: a value to read, bytes to
 * swallow, the rest of a get line key by key, or the end of the connection. The handlers hold no reference to the
 * session; the session reads {@link #next} once a handler returns. One per connection, reused.
 */
final class Exchange {
    /** What the framing does once a command line is handled. */
    enum Next {
        /** Read the next request line. */
        LINE,
        /** Read the value of {@link #pending}, then complete the command. */
        VALUE,
        /** Discard the next {@link #swallow} bytes as they arrive (a refused value and its CRLF). */
        SWALLOW,
        /** Answer the rest of the get line key by key, from line index {@link #resumeAt}. */
        KEY_BY_KEY,
        /** Close the connection with {@link #verdict}. */
        CLOSE
    }

    final ItemStore store;
    final ProtocolConfig config;
    final Outcome outcome = new Outcome();
    final Tokens tokens = new Tokens();
    final Pending pending = new Pending();

    /** The reply buffer of the call in progress, and where the call stops adding requests' replies to it. */
    ByteBuf out;
    int outputEnd;
    /** The command in progress ends with "noreply": its replies, errors included, are not sent. */
    boolean noreply;

    Next next = Next.LINE;
    long swallow;
    int resumeAt;
    boolean keyByKeyCas;
    boolean keyByKeyTouch;
    long keyByKeyExptime;
    Verdict verdict = Verdict.CONTINUE;

    Exchange(ItemStore store, ProtocolConfig config) {
        this.store = store;
        this.config = config;
    }

    /** A reply to a text command, unless it ended with noreply (memcached then drops errors too). */
    void reply(byte[] line) {
        if (!noreply) out.writeBytes(line);
    }

    /** Whether the call's replies have passed its output bound. */
    boolean outputFull() {
        return out.writerIndex() >= outputEnd;
    }

    void readValue() {
        next = Next.VALUE;
    }

    void swallow(long bytes) {
        swallow = bytes;
        next = Next.SWALLOW;
    }

    /** The keys of the get line from index {@code at} of its array are answered one by one as they arrive. */
    void keyByKey(int at, boolean withCas, boolean touch, long exptime) {
        resumeAt = at;
        keyByKeyCas = withCas;
        keyByKeyTouch = touch;
        keyByKeyExptime = exptime;
        next = Next.KEY_BY_KEY;
    }

    void close(Verdict v) {
        verdict = v;
        next = Next.CLOSE;
    }
}
