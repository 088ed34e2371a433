package io.cuckoocache.server.soak;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A blocking memcached binary-protocol connection for the soak's clients. Every read times out. */
final class BinaryConnection implements Connection {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int GET = 0x00;
    private static final int SET = 0x01;
    private static final int DELETE = 0x04;
    private static final int INCREMENT = 0x05;
    private static final int NOT_FOUND = 0x01;
    private static final int EXISTS = 0x02;
    private static final int NOT_STORED = 0x05;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int opaque;

    BinaryConnection(String host, int port) throws IOException {
        socket = open(host, port);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    }

    /** A loopback client socket as both protocols use it. */
    static Socket open(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        return s;
    }

    private record Response(int status, long cas, byte[] value) {
    }

    private Response call(int opcode, byte[] extras, String key, byte[] value, long cas) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        int id = ++opaque;
        out.writeByte(0x80);
        out.writeByte(opcode);
        out.writeShort(k.length);
        out.writeByte(extras.length);
        out.writeByte(0);
        out.writeShort(0);
        out.writeInt(extras.length + k.length + value.length);
        out.writeInt(id);
        out.writeLong(cas);
        out.write(extras);
        out.write(k);
        out.write(value);
        out.flush();

        byte[] header = new byte[24];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        int magic = h.get() & 0xff;
        int op = h.get() & 0xff;
        int keyLength = h.getShort() & 0xffff;
        int extrasLength = h.get() & 0xff;
        h.get();
        int status = h.getShort() & 0xffff;
        int body = h.getInt();
        int replyOpaque = h.getInt();
        long replyCas = h.getLong();
        if (magic != 0x81 || op != opcode || replyOpaque != id || body < extrasLength + keyLength) {
            throw new UnexpectedReply("binary opcode " + opcode, "magic " + magic + " opcode " + op + " opaque "
                    + replyOpaque + " body " + body);
        }
        in.skipNBytes(extrasLength + keyLength);
        byte[] v = new byte[body - extrasLength - keyLength];
        in.readFully(v);
        return new Response(status, replyCas, v);
    }

    private static UnexpectedReply unexpected(String what, Response r) {
        return new UnexpectedReply(what, "status " + r.status + " " + new String(r.value, StandardCharsets.US_ASCII));
    }

    @Override
    public String store(String command, String key, byte[] value, long casUnique) throws IOException {
        Response r = call(SET, new byte[8], key, value, command.equals("cas") ? casUnique : 0);
        return switch (r.status) {
            case 0 -> "STORED";
            case EXISTS -> "EXISTS";
            case NOT_FOUND -> "NOT_FOUND";
            case NOT_STORED -> "NOT_STORED";
            default -> throw unexpected(command, r);
        };
    }

    @Override
    public String delete(String key) throws IOException {
        Response r = call(DELETE, new byte[0], key, new byte[0], 0);
        return switch (r.status) {
            case 0 -> "DELETED";
            case NOT_FOUND -> "NOT_FOUND";
            default -> throw unexpected("delete", r);
        };
    }

    @Override
    public long incr(String key, long delta) throws IOException {
        // delta, initial value 0, expiration 0xffffffff: do not create a missing counter.
        byte[] extras = ByteBuffer.allocate(20).putLong(delta).putLong(0).putInt(-1).array();
        Response r = call(INCREMENT, extras, key, new byte[0], 0);
        if (r.status == NOT_FOUND) return -1;
        if (r.status != 0 || r.value.length != 8) throw unexpected("incr", r);
        return ByteBuffer.wrap(r.value).getLong();
    }

    @Override
    public Hit get(String key, boolean withCas) throws IOException {
        Response r = call(GET, new byte[0], key, new byte[0], 0);
        if (r.status == NOT_FOUND) return null;
        if (r.status != 0) throw unexpected("get", r);
        return new Hit(r.value, withCas ? r.cas : -1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
