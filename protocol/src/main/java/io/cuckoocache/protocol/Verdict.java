package io.cuckoocache.protocol;

/** What the connection does after {@link Session#process}: in every case it first writes what is in {@code out}. */
public enum Verdict {
    /** Keep serving: call again when {@code out} is written or more input has arrived. */
    CONTINUE,
    /** Close this connection ({@code quit}, or input the protocol hangs up on). Later calls read nothing. */
    CLOSE,
    /** Close this connection and stop the server ({@code shutdown}, when enabled). Later calls read nothing. */
    SHUTDOWN,
    /**
     * Close this connection and stop the server gracefully, saving the cache if it has a memory file
     * ({@code shutdown graceful}: memcached raises SIGUSR1 for it). Later calls read nothing.
     */
    SHUTDOWN_GRACEFUL
}
