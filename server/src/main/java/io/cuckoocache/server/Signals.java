package io.cuckoocache.server;

import java.io.PrintStream;

/**
 * SIGTERM and SIGINT stop the server gracefully and the process exits 0, as memcached does (a plain JVM would exit
 * 143 or 130, which service managers read as a failure). SIGUSR1 is memcached's graceful stop that also saves the
 * cache when it has a memory file (-e). Uses the JDK's sun.misc.Signal where it exists; elsewhere the shutdown hook
 * in {@link Main} still stops the server gracefully (and SIGUSR1 ends the JVM without a save).
 */
final class Signals {
    private Signals() {
    }

    /** Installs the handlers; {@code stop} or {@code save} runs (on the JVM's signal thread) when one arrives. */
    static void install(PrintStream log, Runnable stop, Runnable save) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> {
                log.println("Signal handled: User defined signal 1. Gracefully stopping");
                log.flush();
                save.run();
            });
        } catch (Throwable e) {
            log.println("cuckoocache: SIGUSR1 cannot be handled on this JVM (" + e + "); use \"shutdown graceful\"");
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    log.println("Signal handled: " + ("TERM".equals(sig.getName()) ? "Terminated" : "Interrupt") + ".");
                    log.flush();
                    stop.run();
                });
            } catch (Throwable e) {
                // Not available on this JVM or OS: the shutdown hook covers it.
            }
        }
    }
}
