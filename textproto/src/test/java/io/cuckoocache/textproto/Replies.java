package io.cuckoocache.textproto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reply bytes made comparable between two servers: CAS uniques are renamed in order of first appearance (so equal
 * uniques must stay equal), and time values (meta t and l, me exp and la) are pulled out to be compared with a
 * tolerance. Value bodies are skipped by their declared length, so data is never mistaken for a header.
 */
final class Replies {
    private final Map<Long, Integer> casNames = new HashMap<>();
    /** The last CAS unique seen, for requests that quote it. */
    long lastCas;
    /** Time values of the last {@link #normalize} call, in order. */
    final List<Long> times = new ArrayList<>();

    String normalize(byte[] reply) {
        times.clear();
        StringBuilder sb = new StringBuilder();
        int p = 0;
        while (p < reply.length) {
            int lf = p;
            while (lf < reply.length && reply[lf] != '\n') lf++;
            if (lf == reply.length) {
                sb.append(new String(reply, p, reply.length - p, StandardCharsets.ISO_8859_1));
                break;
            }
            String line = new String(reply, p, lf + 1 - p, StandardCharsets.ISO_8859_1);
            p = lf + 1;
            String body = line.endsWith("\r\n") ? line.substring(0, line.length() - 2) : line;
            String[] t = body.split(" ", -1);
            int data = -1;
            if (t[0].equals("VALUE") && t.length >= 4) {
                if (t.length == 5) t[4] = cas(t[4]);
                data = parse(t[3]);
            } else if (t[0].equals("VA") || t[0].equals("HD") || t[0].equals("EN") || t[0].equals("NF")
                    || t[0].equals("NS") || t[0].equals("EX")) {
                for (int i = 1; i < t.length; i++) {
                    if (t[i].length() < 2 || !isNumber(t[i].substring(1))) continue;
                    char f = t[i].charAt(0);
                    if (f == 'c') t[i] = "c" + cas(t[i].substring(1));
                    if ((f == 't' && !t[i].equals("t-1")) || f == 'l') t[i] = f + time(t[i].substring(1));
                }
                if (t[0].equals("VA")) data = parse(t[1]);
            } else if (t[0].equals("ME")) {
                for (int i = 1; i < t.length; i++) {
                    if (t[i].startsWith("exp=") && !t[i].equals("exp=-1")) t[i] = "exp=" + time(t[i].substring(4));
                    if (t[i].startsWith("la=")) t[i] = "la=" + time(t[i].substring(3));
                    if (t[i].startsWith("cas=")) t[i] = "cas=" + cas(t[i].substring(4));
                }
            }
            sb.append(String.join(" ", t)).append(line.endsWith("\r\n") ? "\r\n" : "\n");
            if (data >= 0) {
                int n = Math.min(data + 2, reply.length - p);
                sb.append(new String(reply, p, n, StandardCharsets.ISO_8859_1));
                p += n;
            }
        }
        return sb.toString();
    }

    private String cas(String s) {
        if (!isNumber(s)) return s;
        long v = Long.parseUnsignedLong(s);
        if (v == 0) return "0";
        lastCas = v;
        return "<cas" + casNames.computeIfAbsent(v, k -> casNames.size() + 1) + ">";
    }

    private String time(String s) {
        times.add(Long.parseLong(s));
        return "<time>";
    }

    private static int parse(String s) {
        return isNumber(s) && s.length() < 10 ? Integer.parseInt(s) : -1;
    }

    private static boolean isNumber(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length()) return false;
        for (; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return false;
        }
        return true;
    }
}
