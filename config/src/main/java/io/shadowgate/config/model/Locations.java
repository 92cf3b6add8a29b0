package io.shadowgate.config.model;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The source position of every field path of one YAML document, recorded while parsing.
 *
 * <p>Paths are written as in diagnostics: {@code spec.http[0].route[1].weight}. A map key that is not a plain
 * identifier is quoted, {@code metadata.annotations["shadowgate.io/compare"]}; build paths with {@link #field} and
 * {@link #index} so they always agree with what the loader recorded.
 */
public final class Locations {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    /** No positions: every lookup answers the document start (or an unknown location). */
    public static final Locations NONE = new Locations(null, Map.of(), Map.of());

    private final SourceLocation document;
    private final Map<String, SourceLocation> values;
    private final Map<String, SourceLocation> keys;

    /**
     * @param document the document start (fallback for unknown paths)
     * @param values   path to the position of its value
     * @param keys     path to the position of its key (object members only)
     */
    public Locations(SourceLocation document, Map<String, SourceLocation> values, Map<String, SourceLocation> keys) {
        this.document = document;
        this.values = Map.copyOf(values);
        this.keys = Map.copyOf(keys);
    }

    /**
     * Where the value at {@code path} starts; for a path that was not recorded (an unset field), where the nearest
     * recorded ancestor's key is written (the {@code destination:} line for a missing {@code destination.host}); the
     * document start as a last resort.
     */
    public SourceLocation at(String path) {
        SourceLocation exact = path == null ? null : values.get(path);
        if (exact != null) {
            return exact;
        }
        String p = path == null || path.isEmpty() ? null : parent(path);
        while (p != null && !p.isEmpty()) {
            SourceLocation l = keys.get(p);
            if (l == null) {
                l = values.get(p);
            }
            if (l != null) {
                return l;
            }
            p = parent(p);
        }
        return document != null ? document : SourceLocation.of(null);
    }

    /** Where the key of {@code path} is written (better for "unknown field"), else {@link #at(String)}. */
    public SourceLocation keyAt(String path) {
        SourceLocation l = keys.get(path);
        return l != null ? l : at(path);
    }

    /** Whether the path was present in the document. */
    public boolean has(String path) {
        return values.containsKey(path);
    }

    /** {@code parent.name}, quoting {@code name} when it is not a plain identifier. */
    public static String field(String parent, String name) {
        String part = PLAIN_KEY.matcher(name).matches() ? name : "[\"" + name.replace("\"", "\\\"") + "\"]";
        if (parent == null || parent.isEmpty()) {
            return part;
        }
        return part.startsWith("[") ? parent + part : parent + "." + part;
    }

    /** {@code parent[i]}. */
    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** The path one level up, or {@code null} at the top. */
    static String parent(String path) {
        // Scan left to right so that quoted keys (which may contain '.', '[' or ']') are skipped as a whole.
        int lastStart = -1;
        int i = 0;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '[') {
                lastStart = i;
                if (i + 1 < n && path.charAt(i + 1) == '"') {
                    i += 2;
                    while (i < n && !(path.charAt(i) == '"' && path.charAt(i - 1) != '\\')) {
                        i++;
                    }
                }
                while (i < n && path.charAt(i) != ']') {
                    i++;
                }
                i++;
            } else if (c == '.') {
                lastStart = i;
                i++;
            } else {
                i++;
            }
        }
        return lastStart <= 0 ? null : path.substring(0, lastStart);
    }
}
