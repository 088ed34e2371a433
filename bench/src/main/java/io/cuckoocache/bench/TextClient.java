package io.cuckoocache.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A blocking memcached text client for loading data fast: pipelined {@code set ... noreply}, pipelined {@code get}
 * and {@code stats}. A server that answers a noreply set anyway (an error line) is reported by the next read of a
 * reply, as an unexpected line, instead of being silently skipped. Loopback use only; every read has a timeout.
 */
final class TextClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 60_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[4096];
    private static final byte[] SET = ServerLatency.ascii("set ");
    private static final byte[] GET = ServerLatency.ascii("get ");
    private byte[] setTail = new byte[0];
    private int setTailLength = -1;

    TextClient(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1))), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
        // Buffered: get replies are read byte by byte, and an unbuffered socket read is a system call each.
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** Queues {@code set <key> 0 0 <len> noreply}; sent when the buffer fills or at {@link #stats()}. */
    void setNoreply(byte[] key, byte[] value) throws IOException {
        if (value.length != setTailLength) {
            setTail = ServerLatency.ascii(" 0 0 " + value.length + " noreply\r\n");
            setTailLength = value.length;
        }
        out.write(SET);
        out.write(key);
        out.write(setTail);
        out.write(value);
        out.write('\r');
        out.write('\n');
    }

    /** Queues {@code get <key>}; sent when the buffer fills or at {@link #flush()}. */
    void get(byte[] key) throws IOException {
        out.write(GET);
        out.write(key);
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Reads the reply to one {@code get}: the value's length on a hit (the value is skipped), -1 on a miss. */
    int readGetReply() throws IOException {
        String l = readLine();
        if (l.equals("END")) return -1;
        if (!l.startsWith("VALUE ")) throw new IOException("unexpected reply to a get: " + l);
        int length = Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1));
        long skip = length + 2L;   // the value and its \r\n
        while (skip > 0) {
            long n = in.skip(skip);
            if (n <= 0) {
                if (in.read() < 0) throw new IOException("connection closed by the server");
                n = 1;
            }
            skip -= n;
        }
        l = readLine();
        if (!l.equals("END")) throw new IOException("expected END after a value, got: " + l);
        return length;
    }

    /**
     * Sends {@code stats} after everything queued and returns its values. The server answers in order, so when
     * this returns every earlier set has been processed.
     */
    Map<String, String> stats() throws IOException {
        out.write(ServerLatency.ascii("stats\r\n"));
        out.flush();
        Map<String, String> stats = new LinkedHashMap<>();
        while (true) {
            String l = readLine();
            if (l.equals("END")) return stats;
            if (!l.startsWith("STAT ")) throw new IOException("unexpected reply before the stats: " + l);
            String[] kv = l.split(" ", 3);
            stats.put(kv[1], kv.length > 2 ? kv[2] : "");
        }
    }

    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed by the server");
            if (b == '\n') break;
            if (n == line.length) throw new IOException("reply line longer than " + line.length + " bytes");
            line[n++] = (byte) b;
        }
        if (n > 0 && line[n - 1] == '\r') n--;
        return new String(line, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
