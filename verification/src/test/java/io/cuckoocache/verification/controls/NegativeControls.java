package io.cuckoocache.verification.controls;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Negative controls: shows that the verification tests catch known bugs. For each mutant file
 * ({@code src/test/mutants/*.mutant}, format in {@link Mutant}) it copies the engine's sources, applies the
 * mutation to the copy (never to the real tree), compiles the copy into its own classes directory, and runs the
 * mutant's tests in a fresh JVM with those classes first on the class path. A mutant counts as detected only if
 * it applied, compiled, and at least one of its tests failed. A baseline (the unmodified copy, same pipeline) must
 * pass its smoke tests, so a failure is the planted bug's doing, not the pipeline's. Exits 1 unless every mutant is
 * detected, after printing a table mutant -> test that caught it, with times.
 * <p>
 * Arguments: engine source dir, mutants dir, work dir, the jcstress jar. JUnit tests run with this JVM's class path
 * (the verification module's test class path) behind the mutant's classes; jcstress tests with the jar behind them.
 */
public final class NegativeControls {
    private static final List<String> BASELINE_TESTS =
            List.of("io.cuckoocache.verification.TinyMapLayoutTest", "jcstress:HopKeepsKeyVisible");
    private static final long TIMEOUT_MINUTES = 30;
    /** A test selector "jcstress:Regex" names jcstress tests by simple name (e.g. "jcstress:(HopKeeps.*)"). */
    private static final String JCSTRESS = "jcstress:";
    private static final Pattern JCSTRESS_SUMMARY =
            Pattern.compile("\\[jcstress-run\\] exit \\d+, tests: (\\d+) passed \\(\\d+ interesting\\), (\\d+) failed");

    private final Path sources;
    private final Path work;
    private final String testClassPath;
    private final Path jcstressJar;

    private NegativeControls(Path sources, Path work, String testClassPath, Path jcstressJar) {
        this.sources = sources;
        this.work = work;
        this.testClassPath = testClassPath;
        this.jcstressJar = jcstressJar;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) throw new IllegalArgumentException("usage: sources mutants work jcstress-jar");
        NegativeControls nc = new NegativeControls(Path.of(args[0]), Path.of(args[2]),
                System.getProperty("java.class.path"), Path.of(args[3]));
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            files = s.filter(p -> p.toString().endsWith(".mutant")).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) throw new IllegalStateException("no mutants in " + args[1]);

        List<String> rows = new ArrayList<>();
        List<String> legend = new ArrayList<>();
        boolean ok = true;
        Result base = nc.run("baseline", null, BASELINE_TESTS);
        boolean baseOk = !base.failed() && base.failedTests.isEmpty() && !base.passedTests.isEmpty();
        ok &= baseOk;
        rows.add(row("baseline (no mutation)", baseOk ? "passes" : "BROKEN: " + base.describe(), "-", "-",
                base.seconds()));
        for (Path f : files) {
            Mutant m = Mutant.parse(f);
            legend.add(m.name + ": " + m.title);
            Result r = nc.run(m.name, m, m.tests);
            boolean detected = !r.failed() && !r.failedTests.isEmpty();
            ok &= detected;
            rows.add(row(m.name, detected ? "DETECTED" : "NOT DETECTED" + (r.failed() ? ": " + r.problem : ""),
                    String.join(", ", r.failedTests), String.join(", ", r.passedTests), r.seconds()));
        }
        List<String> report = new ArrayList<>();
        report.add("Negative controls: each planted bug must make at least one of its tests fail.");
        report.add(row("mutant", "result", "caught by (test: time to failure)", "not caught by", "total"));
        report.addAll(rows);
        report.add("");
        report.addAll(legend);
        report.add(ok ? "ALL PLANTED BUGS DETECTED" : "SOME PLANTED BUG WAS NOT DETECTED, OR THE PIPELINE BROKE");
        System.out.println();
        report.forEach(System.out::println);
        Files.write(nc.work.resolve("summary.txt"), report, StandardCharsets.UTF_8);
        System.exit(ok ? 0 : 1);
    }

    private static String row(String mutant, String result, String caught, String missed, String total) {
        return String.format("| %-36s | %-12s | %-50s | %-45s | %6s |", mutant, result, caught, missed, total);
    }

    /** Copies, mutates, compiles, runs; never throws for a mutant-specific problem (it goes into the result). */
    private Result run(String name, Mutant mutant, List<String> tests) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Result r = new Result();
        Path dir = work.resolve(name);
        deleteTree(dir);
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        copyTree(sources, src);
        try {
            if (mutant != null) mutant.applyTo(src);
        } catch (IllegalStateException e) {
            r.problem = "mutation did not apply: " + e.getMessage();
            return r.done(start);
        }
        if (!compile(src, classes, dir.resolve("javac.log"))) {
            r.problem = "copy did not compile, see " + dir.resolve("javac.log");
            return r.done(start);
        }
        List<String> junit = new ArrayList<>();
        for (String t : tests) {
            if (t.startsWith(JCSTRESS)) runJcstress(t.substring(JCSTRESS.length()), classes, dir, r);
            else junit.add(t);
            if (r.failed()) return r.done(start);
        }
        if (!junit.isEmpty()) runJUnit(junit, classes, dir, r);
        return r.done(start);
    }

    /** Runs JUnit tests ({@code Class#method} or {@code Class}) in a fresh JVM; fills {@code r} from the XML report. */
    private void runJUnit(List<String> tests, Path classes, Path dir, Result r) throws IOException, InterruptedException {
        Path reports = dir.resolve("reports");
        List<String> cmd = new ArrayList<>(List.of(java(),
                "-Xmx1g", "-Djdk.attach.allowAttachSelf=true", "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:+EnableDynamicAgentLoading",
                "-cp", classes + File.pathSeparator + testClassPath,
                "org.junit.platform.console.ConsoleLauncher", "execute", "--disable-banner", "--details=summary",
                "--fail-if-no-tests", "--reports-dir=" + reports));
        for (String t : tests) cmd.add(t.contains("#") ? "--select-method=" + t : "--select-class=" + t);
        System.out.println("[negative-controls] " + dir.getFileName() + ": running " + tests);
        Process p = start(cmd, dir.resolve("tests.log"));
        if (p == null) {
            r.problem = "tests timed out after " + TIMEOUT_MINUTES + " min, see " + dir.resolve("tests.log");
            return;
        }
        try {
            readReport(reports.resolve("TEST-junit-jupiter.xml"), r);
        } catch (Exception e) {
            r.problem = "no test report (exit " + p.exitValue() + "), see " + dir.resolve("tests.log");
            return;
        }
        int ran = r.junitRan();
        if (ran < tests.size()) {
            r.problem = "only " + ran + " of " + tests.size() + " tests ran";
        } else if ((p.exitValue() == 0) != r.junitFailed.isEmpty()) {
            r.problem = "exit code " + p.exitValue() + " disagrees with the report";
        }
    }

    /**
     * Runs the jcstress tests whose simple names match {@code names} (a regex) through {@code JcstressRun}, with the
     * mutant's classes ahead of the jar. Caught means: at least one test failed (a FORBIDDEN or unknown outcome).
     */
    private void runJcstress(String names, Path classes, Path dir, Result r) throws IOException, InterruptedException {
        String filter = "\\.jcstress\\." + names + "$";
        Path log = dir.resolve("jcstress-" + r.jcstressRuns++ + ".log");
        List<String> cmd = List.of(java(), "-cp", classes + File.pathSeparator + jcstressJar,
                "io.cuckoocache.verification.JcstressRun", filter, "-m", "quick", "-sc", "false",
                "-jvmArgs", "-Xmx512m", "-r", dir.resolve("jcstress-results").toString());
        System.out.println("[negative-controls] " + dir.getFileName() + ": running jcstress " + names);
        long t0 = System.nanoTime();
        Process p = start(cmd, log);
        String label = "jcstress " + names + ": " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s";
        if (p == null) {
            r.problem = "jcstress timed out, see " + log;
            return;
        }
        Matcher m = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher candidate = JCSTRESS_SUMMARY.matcher(line);
            if (candidate.find()) m = candidate;
        }
        if (m == null) {
            r.problem = "jcstress did not run (exit " + p.exitValue() + "), see " + log;
        } else if (Integer.parseInt(m.group(2)) > 0) {
            r.failedTests.add(label);
        } else if (p.exitValue() == 0 && Integer.parseInt(m.group(1)) > 0) {
            r.passedTests.add(label);
        } else {
            r.problem = "jcstress broke (exit " + p.exitValue() + ", " + m.group() + "), see " + log;
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code cmd} with its output in {@code log} and waits; null if it timed out (then it is killed). */
    private static Process start(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) return p;
        p.destroyForcibly().waitFor();
        return null;
    }

    private boolean compile(Path src, Path classes, Path log) throws IOException {
        Files.createDirectories(classes);
        List<String> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.map(Path::toString).filter(f -> f.endsWith(".java") && !f.endsWith("module-info.java"))
                    .collect(Collectors.toList());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-d", classes.toString()));
        args.addAll(files);
        try (var out = Files.newOutputStream(log)) {
            return javac.run(null, out, out, args.toArray(new String[0])) == 0;
        }
    }

    private static void readReport(Path xml, Result r) throws Exception {
        NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String cls = c.getAttribute("classname");
            String test = cls.substring(cls.lastIndexOf('.') + 1) + "#" + c.getAttribute("name").replace("()", "")
                    + ": " + Math.round(Double.parseDouble(c.getAttribute("time"))) + " s";
            boolean failed = c.getElementsByTagName("failure").getLength() > 0
                    || c.getElementsByTagName("error").getLength() > 0;
            (failed ? r.failedTests : r.passedTests).add(test);
            (failed ? r.junitFailed : r.junitPassed).add(test);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted((a, b) -> b.compareTo(a))::iterator) Files.delete(p);
        }
    }

    /** What running one mutant's tests gave. */
    private static final class Result {
        final Set<String> failedTests = new LinkedHashSet<>();
        final Set<String> passedTests = new LinkedHashSet<>();
        final Set<String> junitFailed = new LinkedHashSet<>();
        final Set<String> junitPassed = new LinkedHashSet<>();
        int jcstressRuns;
        String problem;
        long nanos;

        boolean failed() {
            return problem != null;
        }

        int junitRan() {
            return junitFailed.size() + junitPassed.size();
        }

        Result done(long start) {
            nanos = System.nanoTime() - start;
            return this;
        }

        String seconds() {
            return TimeUnit.NANOSECONDS.toSeconds(nanos) + " s";
        }

        String describe() {
            return problem != null ? problem : "failed " + failedTests + ", passed " + passedTests;
        }
    }

    /**
     * A planted bug: a text file whose lines are
     * <pre>
     * # title (the first comment line), further comment lines
     * tests: Class#method Class ...        (the tests that must catch it; fully qualified)
     * file: path/relative/to/the/source/root.java
     * &lt;&lt;&lt;&lt;&lt;&lt;&lt; find
     * exact text, which must occur exactly once in the file
     * =======
     * replacement text
     * &gt;&gt;&gt;&gt;&gt;&gt;&gt; replace
     * </pre>
     * with any number of {@code file:} lines and find/replace blocks.
     */
    static final class Mutant {
        final String name;
        String title;
        final List<String> tests = new ArrayList<>();
        final List<String[]> edits = new ArrayList<>(); // {file, find, replace}

        private Mutant(String name) {
            this.name = name;
        }

        static Mutant parse(Path f) throws IOException {
            String fileName = f.getFileName().toString();
            Mutant m = new Mutant(fileName.substring(0, fileName.length() - ".mutant".length()));
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            String file = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("#")) {
                    if (m.title == null) m.title = line.substring(1).trim();
                } else if (line.startsWith("tests:")) {
                    for (String t : line.substring(6).trim().split("\\s+")) if (!t.isEmpty()) m.tests.add(t);
                } else if (line.startsWith("file:")) {
                    file = line.substring(5).trim();
                } else if (line.equals("<<<<<<< find")) {
                    StringBuilder find = new StringBuilder();
                    StringBuilder replace = new StringBuilder();
                    for (i++; !lines.get(i).equals("======="); i++) find.append(lines.get(i)).append('\n');
                    for (i++; !lines.get(i).equals(">>>>>>> replace"); i++) replace.append(lines.get(i)).append('\n');
                    if (file == null) throw new IllegalStateException(f + ": edit before any file: line");
                    m.edits.add(new String[] {file, find.toString(), replace.toString()});
                } else if (!line.isBlank()) {
                    throw new IllegalStateException(f + ":" + (i + 1) + ": unexpected line: " + line);
                }
            }
            if (m.title == null || m.tests.isEmpty() || m.edits.isEmpty()) {
                throw new IllegalStateException(f + ": needs a # title, a tests: line and at least one edit");
            }
            return m;
        }

        void applyTo(Path root) throws IOException {
            for (String[] e : edits) {
                Path p = root.resolve(e[0]);
                if (!Files.exists(p)) throw new IllegalStateException("no file " + e[0]);
                String text = Files.readString(p);
                int at = text.indexOf(e[1]);
                if (at < 0 || text.indexOf(e[1], at + 1) >= 0) {
                    throw new IllegalStateException(e[0] + ": the text to replace must occur exactly once:\n" + e[1]);
                }
                Files.writeString(p, text.substring(0, at) + e[2] + text.substring(at + e[1].length()));
            }
        }
    }
}
