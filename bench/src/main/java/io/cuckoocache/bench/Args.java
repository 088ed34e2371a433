package io.cuckoocache.bench;

/** Minimal {@code --name value} argument reading for the bench tools. */
final class Args {
    private final String[] args;

    Args(String[] args) {
        this.args = args;
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
        }
    }

    String string(String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return dflt;
    }

    String[] strings(String name, String dflt) {
        return string(name, dflt).split(",");
    }

    long[] longs(String name, String dflt) {
        String[] s = strings(name, dflt);
        long[] r = new long[s.length];
        for (int i = 0; i < s.length; i++) r[i] = Long.parseLong(s[i].replace("_", "").trim());
        return r;
    }

    long duration(String name, String dflt) {
        return longs(name, dflt)[0];
    }
}
