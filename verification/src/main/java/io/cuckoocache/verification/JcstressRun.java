package io.cuckoocache.verification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs jcstress on this jar's tests and fails unless every test the filter names ran and passed. jcstress itself
 * exits 1 on a FORBIDDEN or unknown outcome, but exits 0 when its {@code -t} filter matches nothing; so this first
 * counts the tests the filter matches in the jar's {@code META-INF/TestList}, and afterwards requires the run to
 * report that many passed tests and nothing else.
 * <p>
 * Arguments: the test filter (a regex), then further jcstress options (e.g. {@code -m quick}).
 */
public final class JcstressRun {
    private JcstressRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: filter-regex [jcstress options]");
        String filter = args[0];
        List<String> expected = matchingTests(filter);
        if (expected.isEmpty()) {
            fail("the filter " + filter + " matches no test in META-INF/TestList");
        }
        System.out.println("[jcstress-run] " + expected.size() + " tests match " + filter + ": " + expected);

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.openjdk.jcstress.Main", "-t", filter));
        cmd.addAll(List.of(args).subList(1, args.length));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
                out.add(line);
            }
        }
        int exit = p.waitFor();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        Summary s = Summary.of(out);
        System.out.println("[jcstress-run] exit " + exit + ", " + s + ", " + seconds + " s");
        if (exit != 0) fail("jcstress exited " + exit + " (a FORBIDDEN or unknown outcome, or an error)");
        if (!s.found) fail("no RUN RESULTS summary in jcstress's output");
        if (!s.clean(expected.size())) fail("expected " + expected.size() + " passed tests, got " + s);
        System.out.println("[jcstress-run] all " + expected.size() + " tests passed");
    }

    private static List<String> matchingTests(String filter) throws IOException {
        Pattern p = Pattern.compile(filter);
        List<String> tests = new ArrayList<>();
        try (InputStream in = JcstressRun.class.getResourceAsStream("/META-INF/TestList")) {
            if (in == null) return tests;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String name = testName(line);
                if (p.matcher(name).find()) tests.add(name);
            }
        }
        return tests;
    }

    /** A TestList line is "JCTEST" then length-prefixed strings ("56Sio.cuckoocache..."); the first is the name. */
    private static String testName(String line) {
        if (!line.startsWith("JCTEST")) throw new IllegalStateException("unknown TestList format: " + line);
        int s = line.indexOf('S', 6);
        int len = Integer.parseInt(line.substring(6, s));
        return line.substring(s + 1, s + 1 + len);
    }

    private static void fail(String why) {
        System.out.println("[jcstress-run] FAILED: " + why);
        System.exit(1);
    }

    /**
     * jcstress's final report: the last progress line "(Results: 8 planned; 8 passed, 0 failed, 0 soft errs, 0 hard
     * errs)" counts test configurations; the "RUN RESULTS:" section counts tests, e.g. "Failed tests: No matches." or
     * "All remaining tests: 1 matching test results.".
     */
    private static final class Summary {
        private static final Pattern PROGRESS = Pattern.compile(
                "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
        private static final Pattern SECTION = Pattern.compile(
                "^\\s*(Interesting|Failed|Error|All remaining) tests: (No matches|(\\d+) matching test results?)\\.");

        boolean found;
        int planned;
        int configsPassed;
        int configsBad = -1;
        int interesting;
        int failed;
        int errors;
        int remaining;

        static Summary of(List<String> lines) {
            Summary s = new Summary();
            boolean inResults = false;
            for (String line : lines) {
                Matcher m = PROGRESS.matcher(line);
                if (m.find()) {
                    s.planned = Integer.parseInt(m.group(1));
                    s.configsPassed = Integer.parseInt(m.group(2));
                    s.configsBad = Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4))
                            + Integer.parseInt(m.group(5));
                }
                if (line.startsWith("RUN RESULTS:")) inResults = true;
                m = SECTION.matcher(line);
                if (inResults && m.find()) {
                    s.found = true;
                    int n = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
                    switch (m.group(1)) {
                        case "Interesting": s.interesting = n; break;
                        case "Failed": s.failed = n; break;
                        case "Error": s.errors = n; break;
                        default: s.remaining = n;
                    }
                }
            }
            return s;
        }

        /** Tests that ran without failure or error (interesting outcomes are acceptable ones). */
        int passed() {
            return interesting + remaining;
        }

        boolean clean(int expected) {
            return found && failed == 0 && errors == 0 && passed() == expected
                    && planned > 0 && configsPassed == planned && configsBad == 0;
        }

        @Override
        public String toString() {
            return "tests: " + passed() + " passed (" + interesting + " interesting), " + failed + " failed, "
                    + errors + " errors; configurations: " + configsPassed + " of " + planned + " passed, "
                    + configsBad + " failed or errors";
        }
    }
}
