package io.cuckoocache.binproto;

/** What the connection does after {@link BinarySession#process}. */
public enum Action {
    /** Keep reading. */
    CONTINUE,
    /** Flush what was written to the output buffer, then close the connection. */
    CLOSE
}
