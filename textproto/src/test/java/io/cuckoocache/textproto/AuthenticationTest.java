package io.cuckoocache.textproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.ItemStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * memcached -Y (ASCII authentication), with the replies memcached 1.6.18 gave to the same bytes (run with
 * {@code -Y} on a file holding {@code alice:secret}).
 */
class AuthenticationTest {
    private final List<String> attempts = new ArrayList<>();
    private final ProtocolConfig config = ProtocolConfig.builder().authenticator((user, password) -> {
        attempts.add(user + "/" + password);
        return user.equals("alice") && password.equals("secret");
    }).build();
    private final ItemStore store = ItemStore.builder().build();

    private Wire connection() {
        return new Wire(store, config, Wire.Kind.HEAP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get foo\r\n", "version\r\n", "quit\r\n", "stats\r\n", "mn\r\n", "mg foo v\r\n",
            "ms foo 2\r\n", "add x 0 0 12\r\n", "set x 0 0 -1\r\n", "set x 0 0 abc\r\n", "set\r\n", "gibberish\r\n",
            "\r\n", "flush_all\r\n", "shutdown\r\n"})
    void everyCommandBeforeAuthenticationIsRefused(String line) {
        Wire w = connection();
        assertEquals("CLIENT_ERROR unauthenticated\r\n", w.send(line));
        assertEquals(Verdict.CONTINUE, w.action);
        assertEquals("CLIENT_ERROR unauthenticated\r\n", w.send("get foo\r\n"));
    }

    @Test
    void aSetWhoseDataIsUserAndPasswordAuthenticates() {
        Wire w = connection();
        assertEquals("STORED\r\n", w.send("set anykey 0 0 12\r\nalice secret\r\n"));
        assertEquals("END\r\n", w.send("get anykey\r\n"), "the token is not stored as an item");
        assertEquals("STORED\r\nVALUE k 0 1\r\nz\r\nEND\r\n", w.send("set k 0 0 1\r\nz\r\nget k\r\n"));
        assertEquals("HD\r\nVERSION 1.6.18\r\n", w.send("ms m 1\r\nq\r\nversion\r\n"));
        assertEquals(List.of("alice/secret"), attempts);
    }

    @Test
    void authenticationIsPerConnection() {
        assertEquals("STORED\r\n", connection().send("set a 0 0 12\r\nalice secret\r\n"));
        assertEquals("CLIENT_ERROR unauthenticated\r\n", connection().send("get a\r\n"));
    }

    @Test
    void failuresAnswerAndLeaveTheConnectionUnauthenticated() {
        Wire w = connection();
        assertEquals("CLIENT_ERROR authentication failure\r\n", w.send("set x 0 0 12\r\nalice wrong!\r\n"));
        assertEquals("CLIENT_ERROR authentication failure\r\n", w.send("set x 0 0 11\r\nalice secre\r\n"));
        assertEquals("CLIENT_ERROR authentication failure\r\n", w.send("set x 0 0 12\r\nbob   secret\r\n"));
        assertEquals("CLIENT_ERROR bad authentication token format\r\n", w.send("set x 0 0 5\r\nalice\r\n"));
        assertEquals("CLIENT_ERROR bad authentication token format\r\n", w.send("set x 0 0 3\r\nabc\r\n"));
        assertEquals("CLIENT_ERROR unauthenticated\r\n", w.send("get x\r\n"));
        // A retry on the same connection may succeed.
        assertEquals("STORED\r\n", w.send("set x 0 0 12\r\nalice secret\r\n"));
    }

    @Test
    void theTokenIsTokenizedAsMemcachedDoes() {
        // Extra spaces and tokens, noreply and a leading space on the line change nothing: memcached still answers.
        assertEquals("STORED\r\n", connection().send("set x 0 0 13\r\nalice secret \r\n"));
        assertEquals("STORED\r\n", connection().send("set x 0 0 19\r\n  alice secret more\r\n"));
        assertEquals("STORED\r\n", connection().send("set x 0 0 12 noreply\r\nalice secret\r\n"));
        assertEquals("STORED\r\n", connection().send(" set x 0 0 12\r\nalice secret\r\n"));
        // 4294967297 bytes is 1 (safe_strtoul into 32 bits): "ab\r" is read, and it does not end in CRLF. The "\n"
        // left over is an empty line, answered at once (memcached waits for a second byte before answering it).
        String leftOverNewline = "CLIENT_ERROR unauthenticated\r\n";
        assertEquals("CLIENT_ERROR bad command line termination\r\n" + leftOverNewline,
                connection().send("set x 0 0 4294967297\r\nab\r\n"));
        assertEquals("CLIENT_ERROR bad command line termination\r\n" + leftOverNewline,
                connection().send("set x 0 0 6\r\nbob pw2\r\n"));
    }

    @Test
    void theTokenMayArriveByteByByte() {
        Wire w = connection();
        StringBuilder replies = new StringBuilder();
        for (byte b : Wire.bytes("set x 0 0 12\r\nalice secret\r\nget x\r\n")) {
            replies.append(Wire.text(w.read(new byte[] {b})));
        }
        assertEquals("STORED\r\nEND\r\n", replies.toString());
    }

    @Test
    void anOversizedTokenIsRefusedAndSwallowedAsItArrives() {
        Wire w = connection();
        assertEquals("CLIENT_ERROR authentication failure\r\n", w.send("set x 0 0 100000\r\n"));
        String chunk = Wire.repeat('a', 10_000);
        for (int i = 0; i < 10; i++) {
            assertEquals("", w.send(chunk));
            assertEquals(0, w.unread());
            assertEquals(true, w.session.heldBytes() < 4096);
        }
        assertEquals("CLIENT_ERROR unauthenticated\r\n", w.send("\r\nget x\r\n"));
        assertEquals(List.of(), attempts);
    }

    @Test
    void aLongLineBeforeAuthenticationClosesEvenForAGet() {
        Wire w = connection();
        assertEquals("", w.send("get " + Wire.repeat('k', 3000)));
        assertEquals(Verdict.CLOSE, w.action);
    }

    @Test
    void withoutAnAuthenticatorNothingIsAsked() {
        Wire w = new Wire(store, ProtocolConfig.defaults(), Wire.Kind.HEAP);
        assertEquals("STORED\r\n", w.send("set x 0 0 12\r\nalice secret\r\n"));
        assertEquals("VALUE x 0 12\r\nalice secret\r\nEND\r\n", w.send("get x\r\n"));
        assertEquals(List.of(), attempts);
    }
}
