package io.shadowgate.proxy.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The raw request corpus ({@code smuggling-corpus.txt} next to this class): one case per line,
 * {@code id | statuses | backend expectation | request}, see the file header for the escapes.
 */
final class RawCorpus {

    /** What the backend may see for a case. */
    enum Backend { NONE, PARTIAL, ONE }

    /** One case. */
    record Case(String id, List<Integer> statuses, Backend backend, byte[] request) {
        /** Whether the gateway must close the connection after the (last) response. */
        boolean mustClose() {
            return !id.startsWith("ok-");
        }

        /** The path the request uses ({@code {path}}). */
        String path() {
            return "/c/" + id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private RawCorpus() {
    }

    static List<Case> load() {
        try (InputStream in = RawCorpus.class.getResourceAsStream("smuggling-corpus.txt")) {
            if (in == null) {
                throw new IllegalStateException("smuggling-corpus.txt missing from the test classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Case> cases = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", 4);
                if (f.length != 4) {
                    throw new IllegalStateException("bad corpus line: " + line);
                }
                String id = f[0].trim();
                List<Integer> statuses = Arrays.stream(f[1].trim().split(",")).map(String::trim)
                        .map(Integer::valueOf).toList();
                Backend backend = Backend.valueOf(f[2].trim().toUpperCase(java.util.Locale.ROOT));
                String raw = f[3].startsWith(" ") ? f[3].substring(1) : f[3];
                cases.add(new Case(id, statuses, backend, bytes(raw, "/c/" + id)));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Expands {@code {path}} and {@code {rep:N:text}}, then the escapes; one byte per resulting char. */
    static byte[] bytes(String raw, String path) {
        String s = raw.replace("{path}", path);
        StringBuilder expanded = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int rep = s.indexOf("{rep:", i);
            if (rep < 0) {
                expanded.append(s, i, s.length());
                break;
            }
            expanded.append(s, i, rep);
            int colon = s.indexOf(':', rep + 5);
            int close = s.indexOf('}', colon);
            int n = Integer.parseInt(s.substring(rep + 5, colon));
            expanded.append(s.substring(colon + 1, close).repeat(n));
            i = close + 1;
        }
        return unescape(expanded.toString()).getBytes(StandardCharsets.ISO_8859_1);
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case '0' -> b.append('\0');
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
