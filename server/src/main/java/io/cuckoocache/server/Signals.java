package io.cuckoocache.server;

import java.io.PrintStream;

/**
 * SIGTERM and SIGINT stop the server gracefully and the process exits 0, as memcached does (a plain JVM would exit
 * 143 or 130, which service managers read as a failure). Uses the JDK's sun.misc.Signal where it exists; elsewhere
 * the shutdown hook in {@link Main} still stops the server gracefully.
 */
final class Signals {
    private Signals() {
    }

    /** Installs the handlers; {@code stop} runs (on the JVM's signal thread) when one arrives. */
    static void install(PrintStream log, Runnable stop) {
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
