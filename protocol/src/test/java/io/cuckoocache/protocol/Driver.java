package io.cuckoocache.protocol;

import io.netty.buffer.ByteBuf;

import java.util.function.IntConsumer;

/** Tests' stand-in for the server's connection handler: a {@link Session} driven the way the server drives it. */
public final class Driver {
    private Driver() {
    }

    /**
     * Calls {@code process} on {@code in}, and again while a call consumes or answers something and input is left (a
     * call stops at its output bound); {@code afterCall} gets each call's reply bytes and may read or clear {@code out}.
     *
     * @return the last call's verdict
     */
    public static Verdict drive(Session session, ByteBuf in, ByteBuf out, IntConsumer afterCall) {
        while (true) {
            int r = in.readerIndex();
            int w = out.writerIndex();
            Verdict verdict = session.process(in, out);
            int produced = out.writerIndex() - w;
            afterCall.accept(produced);
            if (verdict != Verdict.CONTINUE || !in.isReadable() || (in.readerIndex() == r && produced == 0)) {
                return verdict;
            }
        }
    }
}
