package io.shadowgate.compare.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A JSON pointer (RFC 6901) in which a {@code *} token matches any single token: any array index
 * or any object key. <code>/items/&#42;/ts</code> matches {@code $.items[0].ts}, {@code $.items[7].ts}.
 *
 * <p>A pattern matches its location and everything below it ({@code /meta} ignores the whole
 * {@code meta} object). The empty pointer {@code ""} matches the whole document. {@code ~0} and
 * {@code ~1} escape {@code ~} and {@code /} as in RFC 6901. Immutable, thread-safe.
 */
public final class JsonPointerPattern {

    private static final String ANY = "*";

    private final String text;
    private final String[] tokens;

    private JsonPointerPattern(String text, String[] tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /**
     * Parses a pointer such as {@code /generatedAt} or <code>/items/&#42;/ts</code>.
     *
     * @throws IllegalArgumentException if the text is not empty and does not start with {@code /}
     */
    public static JsonPointerPattern parse(String pointer) {
        Objects.requireNonNull(pointer, "pointer");
        if (pointer.isEmpty()) {
            return new JsonPointerPattern(pointer, new String[0]);
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("JSON pointer must be empty or start with '/', e.g. '/generatedAt' or "
                    + "'/items/*/ts', got '" + pointer + "'");
        }
        List<String> out = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = pointer.indexOf('/', start);
            String raw = slash < 0 ? pointer.substring(start) : pointer.substring(start, slash);
            out.add(raw.replace("~1", "/").replace("~0", "~"));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return new JsonPointerPattern(pointer, out.toArray(new String[0]));
    }

    /**
     * Whether this pattern covers the location {@code path}: each element is a {@code String}
     * object key or an {@code Integer} array index, from the root down.
     */
    public boolean covers(List<?> path) {
        if (tokens.length > path.size()) {
            return false;
        }
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals(ANY)) {
                continue;
            }
            Object p = path.get(i);
            if (p instanceof Integer index) {
                if (!t.equals(Integer.toString(index))) {
                    return false;
                }
            } else if (!t.equals(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonPointerPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The pointer text as given. */
    @Override
    public String toString() {
        return text;
    }
}
