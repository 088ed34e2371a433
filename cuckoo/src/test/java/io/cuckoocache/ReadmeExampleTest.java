package io.cuckoocache;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library example in the repository's README.md, compiled and run as it stands there, so that it cannot rot:
 * the Java block after the marker comment is compiled against this module's classes and its output compared with
 * the output shown below it in the README.
 */
class ReadmeExampleTest {
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: compiled and run by ReadmeExampleTest -->\\s*```java\\n(.*?)```\\s*"
                    + "Prints:\\s*```\\n(.*?)```", Pattern.DOTALL);

    @Test
    void readmeExampleCompilesRunsAndPrintsWhatTheReadmeSays() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = EXAMPLE.matcher(readme);
        assertTrue(m.find(), "README.md has no marked Java example followed by its output");

        Path dir = Files.createTempDirectory("readme-example");
        Path source = dir.resolve("Example.java");
        Files.writeString(source, m.group(1));
        // javac through java.base's tool SPI: the test classes are compiled into the module, which reads no
        // java.compiler.
        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertNotNull(javac, "tests need a JDK");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
        int rc = javac.run(log, log, "-Xlint:all", "-Werror",
                "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), source.toString());
        assertEquals(0, rc, "the README example does not compile cleanly:\n" + diagnostics);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("Example").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(m.group(2), printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
