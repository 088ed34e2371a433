package io.cuckoocache.binproto;

import java.nio.charset.StandardCharsets;
import java.util.function.BiPredicate;

/**
 * One connection's SASL state with the PLAIN mechanism (RFC 4616), behaving as memcached 1.6.18 with Cyrus SASL
 * does (checked against it): every SASL command first drops the connection's authentication; an auth with no data
 * answers "continue" and waits for a step; a step counts only after such an auth, and a failed step may be retried.
 */
final class PlainSasl {
    /** Outcome of an auth or step. */
    enum Result { OK, CONTINUE, FAILED }

    static final byte[] MECHANISMS = "PLAIN".getBytes(StandardCharsets.US_ASCII);

    private final BiPredicate<String, String> authenticator;
    private boolean authenticated;
    /** An auth without data started an exchange that a step may complete. */
    private boolean started;

    PlainSasl(BiPredicate<String, String> authenticator) {
        this.authenticator = authenticator;
    }

    /** Whether {@code command} may run now: version and the SASL commands always may, others after a success. */
    boolean allows(Command command) {
        return authenticated || command == Command.VERSION || command == Command.SASL_LIST_MECHS
                || command == Command.SASL_AUTH || command == Command.SASL_STEP;
    }

    /** List mechanisms: memcached re-initialises the SASL connection here, which forgets the authentication. */
    byte[] listMechanisms() {
        authenticated = false;
        return MECHANISMS;
    }

    Result auth(byte[] mechanism, int mechanismLength, byte[] data) {
        authenticated = false;
        started = false;
        if (!"PLAIN".equalsIgnoreCase(new String(mechanism, 0, mechanismLength, StandardCharsets.US_ASCII))) {
            return Result.FAILED;
        }
        if (data.length == 0) {
            started = true;
            return Result.CONTINUE;
        }
        return verify(data);
    }

    Result step(byte[] data) {
        authenticated = false;
        if (!started) return Result.FAILED;
        Result r = verify(data);
        if (r == Result.OK) started = false;
        return r;
    }

    /** [authzid] NUL authcid NUL passwd; an authzid other than the authcid is refused (no proxy authorization). */
    private Result verify(byte[] m) {
        int first = indexOfNul(m, 0);
        int second = first < 0 ? -1 : indexOfNul(m, first + 1);
        if (second < 0 || indexOfNul(m, second + 1) >= 0 || second == first + 1) return Result.FAILED;
        String authzid = new String(m, 0, first, StandardCharsets.UTF_8);
        String user = new String(m, first + 1, second - first - 1, StandardCharsets.UTF_8);
        String password = new String(m, second + 1, m.length - second - 1, StandardCharsets.UTF_8);
        if (!authzid.isEmpty() && !authzid.equals(user)) return Result.FAILED;
        authenticated = authenticator.test(user, password);
        return authenticated ? Result.OK : Result.FAILED;
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) return i;
        }
        return -1;
    }
}
