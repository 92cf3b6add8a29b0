package io.shadowgate.compare.noise;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * User ignore rules: header names and JSON pointer patterns that are never compared.
 *
 * <p>Header names are case-insensitive; a trailing {@code *} makes a prefix rule ({@code x-b3-*}
 * ignores {@code x-b3-traceid}, {@code x-b3-spanid}...). JSON locations use
 * {@link JsonPointerPattern}. Immutable, thread-safe.
 */
public final class IgnoreRules {

    /** No rules at all. */
    public static final IgnoreRules NONE = new IgnoreRules(Set.of(), List.of());

    private final Set<String> headerNames;
    private final Set<String> exactHeaders;
    private final List<String> headerPrefixes;
    private final List<JsonPointerPattern> pointers;

    private IgnoreRules(Set<String> headerNames, List<JsonPointerPattern> pointers) {
        this.headerNames = Set.copyOf(headerNames);
        this.pointers = List.copyOf(pointers);
        Set<String> exact = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String h : headerNames) {
            if (h.endsWith("*")) {
                prefixes.add(h.substring(0, h.length() - 1));
            } else {
                exact.add(h);
            }
        }
        this.exactHeaders = Set.copyOf(exact);
        this.headerPrefixes = List.copyOf(prefixes);
    }

    /**
     * Builds rules from header names (optionally ending in {@code *}) and JSON pointers.
     *
     * @throws IllegalArgumentException for a blank header name or a malformed pointer
     */
    public static IgnoreRules of(Collection<String> headerNames, Collection<String> pointers) {
        Set<String> names = new LinkedHashSet<>();
        for (String h : headerNames) {
            names.add(normaliseHeader(h));
        }
        List<JsonPointerPattern> parsed = new ArrayList<>();
        for (String p : pointers) {
            JsonPointerPattern pattern = JsonPointerPattern.parse(p);
            if (!parsed.contains(pattern)) {
                parsed.add(pattern);
            }
        }
        return new IgnoreRules(names, parsed);
    }

    /** Lower-cases and validates a header name rule. */
    public static String normaliseHeader(String name) {
        if (name == null || name.isBlank() || name.strip().length() != name.length()) {
            throw new IllegalArgumentException("header name must be non-blank without surrounding spaces, got '"
                    + name + "'");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Rules of this set plus those of {@code other}. */
    public IgnoreRules plus(IgnoreRules other) {
        if (other.headerNames.isEmpty() && other.pointers.isEmpty()) {
            return this;
        }
        Set<String> names = new LinkedHashSet<>(headerNames);
        names.addAll(other.headerNames);
        List<JsonPointerPattern> ps = new ArrayList<>(pointers);
        for (JsonPointerPattern p : other.pointers) {
            if (!ps.contains(p)) {
                ps.add(p);
            }
        }
        return new IgnoreRules(names, ps);
    }

    /** Whether the (lower-case) header name is ignored. */
    public boolean ignoresHeader(String lowerCaseName) {
        if (exactHeaders.contains(lowerCaseName)) {
            return true;
        }
        for (String prefix : headerPrefixes) {
            if (lowerCaseName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a JSON location (String keys / Integer indexes from the root) is ignored. */
    public boolean ignoresJson(List<?> path) {
        for (JsonPointerPattern p : pointers) {
            if (p.covers(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether there are JSON pointer rules at all (lets the differ skip the check). */
    public boolean hasJsonRules() {
        return !pointers.isEmpty();
    }

    /** Ignored header names/prefix rules, lower case. */
    public Set<String> headerNames() {
        return headerNames;
    }

    /** Ignored JSON pointer patterns. */
    public List<JsonPointerPattern> pointers() {
        return pointers;
    }

    @Override
    public String toString() {
        return "IgnoreRules[headers=" + headerNames + ", pointers=" + pointers + "]";
    }
}
