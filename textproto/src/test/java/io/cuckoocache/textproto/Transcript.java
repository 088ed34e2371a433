package io.cuckoocache.textproto;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * memcached 1.6.18's reference transcript (shared/reference/memcached-1.6.18/transcript_1.6.18.txt beside the
 * repository): cases of a name, a request and memcached's reply, written as Python reprs.
 * <p>
 * Long requests are abbreviated there as {@code '<prefix>...<N bytes>'}. They are rebuilt here from what the
 * transcript shows (the prefix, the repeated character, the length, the case name), and each rebuilt request is
 * checked to start with the prefix and have exactly N bytes; an abbreviation not recognized fails the parse.
 */
final class Transcript {
    static final String FILE = "transcript_1.6.18.txt";

    /** One case: {@code request} as sent, {@code reply} as memcached answered. */
    static final class Case {
        final String name;
        final byte[] request;
        final byte[] reply;
        /** How the request was rebuilt from its abbreviation, or null if it is given in full. */
        final String rebuilt;

        Case(String name, byte[] request, byte[] reply, String rebuilt) {
            this.name = name;
            this.request = request;
            this.reply = reply;
            this.rebuilt = rebuilt;
        }
    }

    private static final Pattern ABBREVIATED = Pattern.compile("(?s)(.*)\\.\\.\\.<(\\d+) bytes>");

    private Transcript() {
    }

    /** The cases, in order; skips the test (fails it when CI=true) if the transcript is not there. */
    static List<Case> load() throws IOException {
        Path file = locate();
        List<Case> cases = new ArrayList<>();
        String name = null;
        byte[] request = null;
        String rebuilt = null;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("### ")) {
                name = line.substring(4).trim();
                request = null;
            } else if (line.startsWith(">>> ")) {
                String text = Wire.text(unrepr(line.substring(4).trim()));
                Matcher m = ABBREVIATED.matcher(text);
                if (m.matches()) {
                    rebuilt = "rebuilt from '" + m.group(1) + "' and " + m.group(2) + " bytes";
                    request = rebuild(name, m.group(1), Integer.parseInt(m.group(2)));
                } else {
                    rebuilt = null;
                    request = Wire.bytes(text);
                }
            } else if (line.startsWith("<<< ")) {
                String r = line.substring(4).trim();
                if (!r.startsWith("b")) fail("reply is not a bytes repr: " + line);
                byte[] reply = unrepr(r.substring(1));
                if (Wire.text(reply).matches("(?s).*\\.\\.\\.<\\d+ bytes>")) fail("abbreviated reply: " + line);
                cases.add(new Case(name, request, reply, rebuilt));
            }
        }
        if (cases.size() < 50) fail("only " + cases.size() + " cases parsed from " + file);
        return cases;
    }

    /**
     * The repository root: the nearest directory up from the working directory holding mvnw and a pom.xml that
     * lists the textproto module (Maven runs tests from the module directory, IDEs often from the root).
     */
    static Path repositoryRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(pom)
                    && Files.readString(pom).contains("<module>textproto</module>")) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    private static Path locate() throws IOException {
        Path file = repositoryRoot().resolveSibling("shared").resolve("reference").resolve("memcached-1.6.18")
                .resolve(FILE);
        if (!Files.isRegularFile(file)) {
            if ("true".equals(System.getenv("CI"))) fail("reference transcript missing: " + file);
            Assumptions.abort("reference transcript missing: " + file);
        }
        return file;
    }

    /**
     * The requests the transcript abbreviates, rebuilt from the visible prefix: the prefix's last character
     * repeated (or "a " pairs for the overlong multi-get) and the tail the case name describes.
     */
    private static byte[] rebuild(String name, String prefix, int length) {
        String request;
        if (prefix.startsWith("set k")) {
            request = "set " + Wire.repeat('k', length - 15) + " 0 0 1\r\nx\r\n";
        } else if (prefix.startsWith("get k")) {
            request = "get " + Wire.repeat('k', length - 6) + "\r\n";
        } else if (prefix.startsWith("mg k")) {
            // The flags are cut off in the transcript; the key length is checked before any flag.
            request = "mg " + Wire.repeat('k', length - 7) + " v\r\n";
        } else if (prefix.startsWith("set big")) {
            String line = prefix.substring(0, prefix.indexOf("\r\n") + 2);
            int bytes = Integer.parseInt(line.trim().substring(line.trim().lastIndexOf(' ') + 1));
            request = line + Wire.repeat('x', bytes) + "\r\n";
        } else if (prefix.startsWith("get a a")) {
            request = "get " + "a ".repeat((length - 4) / 2);
        } else {
            throw new IllegalStateException("cannot rebuild abbreviated request of case '" + name + "': " + prefix);
        }
        if (!request.startsWith(prefix) || request.length() != length) {
            throw new IllegalStateException("rebuilt request of case '" + name + "' does not match: "
                    + request.length() + " bytes, expected " + length);
        }
        return Wire.bytes(request);
    }

    /** Decodes a Python str or bytes literal body with its quotes: 'a\r\n', "it's", '\x00'. */
    static byte[] unrepr(String literal) {
        char quote = literal.charAt(0);
        if ((quote != '\'' && quote != '"') || literal.charAt(literal.length() - 1) != quote) {
            throw new IllegalArgumentException("not a Python literal: " + literal);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'n': out.write('\n'); break;
                case 'r': out.write('\r'); break;
                case 't': out.write('\t'); break;
                case '0': out.write(0); break;
                case 'x':
                    out.write(Integer.parseInt(literal.substring(i + 1, i + 3), 16));
                    i += 2;
                    break;
                default: out.write(e); break; // \\ \' \"
            }
        }
        return out.toByteArray();
    }
}
