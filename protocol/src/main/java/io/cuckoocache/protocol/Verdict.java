package io.cuckoocache.protocol;

/** What the connection does after {@link Session#process}: in every case it first writes what is in {@code out}. */
public enum Verdict {
    /** Keep serving: call again when {@code out} is written or more input has arrived. */
    CONTINUE,
    /** Close this connection ({@code quit}, or input the protocol hangs up on). Later calls read nothing. */
    CLOSE,
    /** Close this connection and stop the server ({@code shutdown}, when enabled). Later calls read nothing. */
    SHUTDOWN
}
