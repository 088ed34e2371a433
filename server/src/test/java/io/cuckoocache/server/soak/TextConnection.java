package io.cuckoocache.server.soak;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A blocking memcached text-protocol connection for the soak's clients. Every read times out. */
final class TextConnection implements Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    TextConnection(String host, int port) throws IOException {
        socket = BinaryConnection.open(host, port);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void send(String line, byte[] data) throws IOException {
        out.write(ascii(line));
        if (data != null) {
            out.write(data);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new EOFException("closed by the server");
            b.write(c);
        }
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String store(String command, String key, byte[] value, long casUnique) throws IOException {
        send(command + " " + key + " 0 0 " + value.length
                + (command.equals("cas") ? " " + Long.toUnsignedString(casUnique) : "") + "\r\n", value);
        return line();
    }

    @Override
    public String delete(String key) throws IOException {
        send("delete " + key + "\r\n", null);
        return line();
    }

    @Override
    public long incr(String key, long delta) throws IOException {
        send("incr " + key + " " + delta + "\r\n", null);
        String l = line();
        if (l.equals("NOT_FOUND")) return -1;
        try {
            return Long.parseUnsignedLong(l);
        } catch (NumberFormatException e) {
            throw new UnexpectedReply("incr", l);
        }
    }

    @Override
    public Hit get(String key, boolean gets) throws IOException {
        String command = gets ? "gets" : "get";
        send(command + " " + key + "\r\n", null);
        String l = line();
        if (l.equals("END")) return null;
        String[] f = l.split(" ");
        if (f.length != (gets ? 5 : 4) || !f[0].equals("VALUE") || !f[1].equals(key)) {
            throw new UnexpectedReply(command, l);
        }
        int length = Integer.parseInt(f[3]);
        byte[] value = in.readNBytes(length);
        if (value.length < length) throw new EOFException("closed by the server inside a value");
        String crlf = line();
        String end = line();
        if (!crlf.isEmpty() || !end.equals("END")) throw new UnexpectedReply(command, crlf + "|" + end);
        return new Hit(value, gets ? Long.parseUnsignedLong(f[4]) : -1);
    }

    Map<String, String> stats() throws IOException {
        send("stats\r\n", null);
        Map<String, String> m = new LinkedHashMap<>();
        for (String l; !(l = line()).equals("END"); ) {
            String[] f = l.split(" ", 3);
            if (f.length != 3 || !f[0].equals("STAT")) throw new UnexpectedReply("stats", l);
            m.put(f[1], f[2]);
        }
        return m;
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
