package io.shadowgate.config.snapshot;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The routes of one virtual host, filed by the literal path prefix each requires, so that a lookup evaluates only the
 * routes a path can match and still returns the first match in table order (Envoy's first-match semantics).
 *
 * <p>Every route is filed in a trie under {@link RequestMatcher#requiredPathPrefix()} of its matcher (routes without
 * one sit at the root). A lookup walks the trie along the request path (up to {@code ?} or {@code #}); the routes
 * filed on the nodes it passes are the only ones whose prefix the path starts with, so every other route cannot
 * match. The candidates are evaluated in ascending table index and the lowest matching index wins: the same route as
 * a linear scan of {@link VirtualHostConfig#routes()}.
 *
 * <p>Keys are folded to lower case (ASCII), so one trie serves case-sensitive and {@code ignoreUriCase} prefixes
 * alike: folding only adds candidates, which the route's own matcher then rejects. A key ends before its first
 * non-ASCII character. A non-ASCII path character continues the walk as the ASCII character it equals ignoring case
 * ({@code K}, the Kelvin sign, as {@code k}, like {@link String#regionMatches(boolean, int, String, int, int)}), or
 * ends it when there is none, since no key holds it.
 *
 * <p>Immutable and thread-safe; a lookup allocates nothing.
 */
final class RouteIndex {

    private static final int[] NO_ROUTES = new int[0];
    /** For every char: the lower-case ASCII character it equals ignoring case, or -1. */
    private static final byte[] FOLD = foldTable();

    private final RouteConfig[] routes;
    /** Per route, the folded key it is filed under (its required prefix, up to the first non-ASCII character). */
    private final String[] keys;
    private final Node root;

    RouteIndex(List<RouteConfig> routes) {
        this.routes = routes.toArray(new RouteConfig[0]);
        this.keys = new String[this.routes.length];
        Builder top = new Builder();
        for (int i = 0; i < this.routes.length; i++) {
            String prefix = this.routes[i].matcher().requiredPathPrefix();
            StringBuilder key = new StringBuilder();
            Builder b = top;
            for (int k = 0; k < prefix.length(); k++) {
                int c = prefix.charAt(k) < 128 ? FOLD[prefix.charAt(k)] : -1;
                if (c < 0) {
                    break;
                }
                key.append((char) c);
                b = b.children.computeIfAbsent((char) c, x -> new Builder());
            }
            keys[i] = key.toString();
            b.routes.add(i);
        }
        this.root = top.build();
    }

    /** The first route in table order whose matcher accepts {@code request}, or {@code null}. */
    RouteConfig route(RequestView request) {
        String path = request.path();
        int best = Integer.MAX_VALUE;
        Node n = root;
        int k = 0;
        while (true) {
            for (int idx : n.routes) {
                if (idx >= best) {
                    break; // ascending: the rest of this list comes after the match already found
                }
                if (routes[idx].matcher().matches(request)) {
                    best = idx;
                    break;
                }
            }
            if (k >= path.length()) {
                break;
            }
            char c = path.charAt(k++);
            if (c == '?' || c == '#') {
                break;
            }
            int folded = FOLD[c];
            n = folded < 0 ? null : n.child(folded);
            if (n == null) {
                break;
            }
        }
        return best == Integer.MAX_VALUE ? null : routes[best];
    }

    /**
     * The indices of the routes {@link #route(RequestView)} evaluates for {@code path} (at most): those whose filed
     * key the path (before {@code ?} or {@code #}) starts with, ignoring ASCII case. Computed from the keys rather than
     * by walking the trie, so a trace is an independent account of the index. Allocates; for traces only.
     */
    BitSet candidates(String path) {
        BitSet out = new BitSet(routes.length);
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i];
            boolean candidate = path.length() >= key.length();
            for (int k = 0; candidate && k < key.length(); k++) {
                char c = path.charAt(k);
                candidate = c != '?' && c != '#' && FOLD[c] == key.charAt(k);
            }
            if (candidate) {
                out.set(i);
            }
        }
        return out;
    }

    /** The lower-case ASCII character {@code c} equals ignoring case, or -1 when there is none. */
    static int fold(char c) {
        return FOLD[c];
    }

    /** A frozen trie node: children for the characters {@code [low, low + children.length)}. */
    private static final class Node {
        final int[] routes;
        final int low;
        final Node[] children;

        Node(int[] routes, int low, Node[] children) {
            this.routes = routes;
            this.low = low;
            this.children = children;
        }

        Node child(int c) {
            int i = c - low;
            return i >= 0 && i < children.length ? children[i] : null;
        }
    }

    /** A trie node while routes are filed. */
    private static final class Builder {
        final List<Integer> routes = new ArrayList<>();
        final TreeMap<Character, Builder> children = new TreeMap<>();

        Node build() {
            int[] own = routes.isEmpty() ? NO_ROUTES : routes.stream().mapToInt(Integer::intValue).toArray();
            if (children.isEmpty()) {
                return new Node(own, 0, new Node[0]);
            }
            int low = children.firstKey();
            Node[] frozen = new Node[children.lastKey() - low + 1];
            children.forEach((c, b) -> frozen[c - low] = b.build());
            return new Node(own, low, frozen);
        }
    }

    private static byte[] foldTable() {
        byte[] fold = new byte[Character.MAX_VALUE + 1];
        java.util.Arrays.fill(fold, (byte) -1);
        for (int c = 0; c < 128; c++) {
            fold[c] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        for (int c = 128; c <= Character.MAX_VALUE; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            // The candidates regionMatches(ignoreCase) could equate with an ASCII character, then the check itself.
            int[] candidates = {Character.toLowerCase(c), Character.toUpperCase(c),
                Character.toLowerCase(Character.toUpperCase(c))};
            for (int a : candidates) {
                if (a < 128 && String.valueOf((char) c).regionMatches(true, 0, String.valueOf((char) a), 0, 1)) {
                    fold[c] = fold[a];
                    break;
                }
            }
        }
        return fold;
    }
}
