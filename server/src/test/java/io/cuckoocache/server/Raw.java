package io.cuckoocache.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A plain blocking socket to the server, for byte-exact tests. Every read times out after 5 seconds. */
final class Raw implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Raw(int port) throws IOException {
        this(connect(port));
    }

    /** Over a socket already connected (a TLS one, say). */
    Raw(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    Raw send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    Raw send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** A line without its CRLF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("closed after " + b.toString(StandardCharsets.ISO_8859_1));
            if (c == '\n') break;
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    byte[] read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new EOFException("closed after " + b.length + " of " + n + " bytes");
        return b;
    }

    /** Whether the server closes the connection within the timeout (reading and dropping anything before). */
    boolean closedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            byte[] buf = new byte[4096];
            while (true) {
                if (in.read(buf) < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(5000);
        }
    }

    /** Whether nothing arrives within the time. */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.read(); // data or end of stream: not silent
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---------------------------------------------------------------- binary protocol

    /** A binary request packet. */
    static byte[] packet(int opcode, byte[] extras, byte[] key, byte[] value, long cas) {
        int body = extras.length + key.length + value.length;
        ByteBuffer b = ByteBuffer.allocate(24 + body).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0x80).put((byte) opcode).putShort((short) key.length).put((byte) extras.length).put((byte) 0)
                .putShort((short) 0).putInt(body).putInt(0xCAFE0000 | opcode).putLong(cas);
        b.put(extras).put(key).put(value);
        return b.array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A binary response: header fields and body parts. */
    static final class Response {
        int magic;
        int opcode;
        int status;
        long cas;
        int opaque;
        byte[] extras;
        byte[] key;
        byte[] value;

        String valueString() {
            return new String(value, StandardCharsets.ISO_8859_1);
        }
    }

    Response response() throws IOException {
        ByteBuffer h = ByteBuffer.wrap(read(24));
        Response r = new Response();
        r.magic = h.get() & 0xff;
        r.opcode = h.get() & 0xff;
        int keylen = h.getShort() & 0xffff;
        int extlen = h.get() & 0xff;
        h.get();
        r.status = h.getShort() & 0xffff;
        int body = h.getInt();
        r.opaque = h.getInt();
        r.cas = h.getLong();
        r.extras = read(extlen);
        r.key = read(keylen);
        r.value = read(body - extlen - keylen);
        return r;
    }
}
