package io.cuckoocache.textproto;

/** What the connection should do after {@link TextSession#process}: in every case, first write what is in {@code out}. */
public enum Action {
    /** Keep the connection open and go on reading. */
    CONTINUE,
    /** Close this connection: {@code quit}, or input memcached drops the connection for. Later input is ignored. */
    CLOSE,
    /** Shut the server down: {@code shutdown} (and {@code shutdown graceful}) when enabled. Later input is ignored. */
    SHUTDOWN
}
