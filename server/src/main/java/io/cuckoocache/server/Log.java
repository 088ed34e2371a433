package io.cuckoocache.server;

import java.io.PrintStream;

/**
 * memcached-style logging to standard error: {@code -v} prints errors and warnings met while serving, {@code -vv}
 * also client commands and responses, {@code -vvv} also connection state changes. Notices (start, stop) always
 * print. Callers test {@link #verbose()} and friends before building a message, so a quiet server pays one field
 * read per call site.
 */
final class Log {
    private final PrintStream out;
    /** Set by -v at start, and by the text "verbosity" command at run time. */
    private volatile int verbosity;

    Log(int verbosity, PrintStream out) {
        this.verbosity = verbosity;
        this.out = out;
    }

    int verbosity() {
        return verbosity;
    }

    /** The text protocol's "verbosity N" command. */
    void verbosity(int level) {
        verbosity = Math.max(0, Math.min(3, level));
    }

    /** -v: errors and warnings while serving. */
    boolean warnings() {
        return verbosity >= 1;
    }

    /** -vv: commands and responses. */
    boolean verbose() {
        return verbosity >= 2;
    }

    /** -vvv: internal state changes. */
    boolean trace() {
        return verbosity >= 3;
    }

    /** A line that always prints (startup, shutdown, configuration warnings). */
    void notice(String line) {
        out.println(line);
        out.flush();
    }

    /** A line printed at -v and above. */
    void warn(String line) {
        if (verbosity >= 1) notice(line);
    }

    /** A line printed at -vv and above. */
    void verbose(String line) {
        if (verbosity >= 2) notice(line);
    }

    /** A line printed at -vvv. */
    void trace(String line) {
        if (verbosity >= 3) notice(line);
    }
}
