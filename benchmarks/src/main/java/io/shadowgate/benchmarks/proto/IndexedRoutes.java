package io.shadowgate.benchmarks.proto;

import com.google.re2j.Pattern;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.StringMatch;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * <b>Prototype</b> of the proposed route index for {@code config/snapshot/RouteTable} (see {@code docs/performance.md},
 * "routing"), used by {@code RouteIndexBenchmark} to measure what the change buys before anyone edits the config
 * module.
 *
 * <p>Every route gets the literal prefix its path condition requires: the value of a case-sensitive {@code exact} or
 * {@code prefix}, or the leading literal run of a {@code regex} (stopping before a metacharacter, dropping the last
 * character when a quantifier follows it, nothing when the regex contains {@code |}). Routes are filed in a trie under
 * that prefix. A lookup walks the trie along the request path and gathers, in table order, only the routes whose
 * prefix the path starts with (plus those without a prefix); every other route cannot match, so checking the
 * candidates in order gives exactly the linear scan's answer: Envoy's first-match semantics are kept.
 *
 * <p>With {@code fastRegex}, candidates are checked by a re-implementation of the match conditions in which regexes
 * use {@link SimpleRegex} when they fit its subset (RE2/J otherwise) and cheap conditions run first; without it the
 * real compiled {@code RouteConfig.matcher()} decides. Only the conditions the benchmark's table uses are
 * re-implemented (uri exact/prefix/regex, header exact/prefix/regex); this is a measurement aid, not a replacement.
 */
public final class IndexedRoutes {

    private final RouteTable table;
    // Identity: VirtualHostConfig is a record whose hashCode walks all its routes.
    private final Map<VirtualHostConfig, Index> indexes = new java.util.IdentityHashMap<>();
    private final boolean fastRegex;

    /** Indexes every virtual host of {@code table}; {@code vs} supplies the match blocks, in table order. */
    public IndexedRoutes(RouteTable table, VirtualService vs, boolean fastRegex) {
        this.table = table;
        this.fastRegex = fastRegex;
        List<HTTPMatchRequest> blocks = new ArrayList<>();
        for (HTTPRoute r : vs.http()) {
            if (r.match() == null || r.match().isEmpty()) {
                blocks.add(null);
            } else {
                blocks.addAll(r.match());
            }
        }
        for (VirtualHostConfig vh : table.virtualHosts()) {
            if (vh.routes().size() == blocks.size()) {
                indexes.put(vh, new Index(vh.routes(), blocks, fastRegex));
            }
        }
    }

    /** The same answer as {@link RouteTable#route}. */
    public RouteConfig route(RequestView request) {
        VirtualHostConfig vh = table.selectVirtualHost(request.authority());
        if (vh == null) {
            return null;
        }
        Index index = indexes.get(vh);
        if (index == null) {
            for (RouteConfig r : vh.routes()) {
                if (r.matcher().matches(request)) {
                    return r;
                }
            }
            return null;
        }
        return index.route(request, fastRegex);
    }

    /** The literal prefix every path matching {@code regex} starts with ("" when unknown). */
    public static String literalPrefix(String regex) {
        if (regex.indexOf('|') >= 0) {
            return "";
        }
        int i = 0;
        while (i < regex.length() && "\\.+*?()[]{}|^$".indexOf(regex.charAt(i)) < 0) {
            i++;
        }
        if (i < regex.length() && "?*{".indexOf(regex.charAt(i)) >= 0 && i > 0) {
            i--; // the quantifier applies to the last literal character: it is not required
        }
        return regex.substring(0, i);
    }

    /** A trie node: ASCII children in an array, others in a map. */
    private static final class Node {
        Node[] ascii;
        Map<Character, Node> other;
        int[] routes = new int[0];

        Node child(char c) {
            if (c < 128) {
                return ascii == null ? null : ascii[c];
            }
            return other == null ? null : other.get(c);
        }

        Node childOrNew(char c) {
            Node n = child(c);
            if (n != null) {
                return n;
            }
            n = new Node();
            if (c < 128) {
                if (ascii == null) {
                    ascii = new Node[128];
                }
                ascii[c] = n;
            } else {
                if (other == null) {
                    other = new HashMap<>(2);
                }
                other.put(c, n);
            }
            return n;
        }
    }

    private static final class Index {
        final Node root = new Node();
        final List<RouteConfig> routes;
        final Cond[] conds;

        Index(List<RouteConfig> routes, List<HTTPMatchRequest> blocks, boolean fast) {
            this.routes = routes;
            this.conds = new Cond[routes.size()];
            for (int i = 0; i < routes.size(); i++) {
                HTTPMatchRequest m = blocks.get(i);
                String prefix = "";
                if (m != null && m.uri() != null && !Boolean.TRUE.equals(m.ignoreUriCase())) {
                    StringMatch u = m.uri();
                    prefix = u.exact() != null ? u.exact() : u.prefix() != null ? u.prefix()
                            : u.regex() != null ? literalPrefix(u.regex()) : "";
                }
                Node n = root;
                for (int k = 0; k < prefix.length(); k++) {
                    n = n.childOrNew(prefix.charAt(k));
                }
                n.routes = Arrays.copyOf(n.routes, n.routes.length + 1);
                n.routes[n.routes.length - 1] = i;
                if (fast) {
                    conds[i] = Cond.of(m);
                }
            }
        }

        RouteConfig route(RequestView request, boolean fast) {
            String path = request.path();
            int end = path.length();
            for (int k = 0; k < path.length(); k++) {
                char c = path.charAt(k);
                if (c == '?' || c == '#') {
                    end = k;
                    break;
                }
            }
            // Candidates: the route lists on the trie path, merged in table order (lists are few and short).
            int best = Integer.MAX_VALUE;
            Node n = root;
            int k = 0;
            while (n != null) {
                for (int idx : n.routes) {
                    if (idx < best && matches(idx, request, path, end, fast)) {
                        best = idx;
                        break; // lists are ascending: later entries of this list cannot be earlier routes
                    }
                }
                if (k >= end) {
                    break;
                }
                n = n.child(path.charAt(k++));
            }
            return best == Integer.MAX_VALUE ? null : routes.get(best);
        }

        private boolean matches(int idx, RequestView request, String path, int end, boolean fast) {
            return fast ? conds[idx].matches(request, path, end) : routes.get(idx).matcher().matches(request);
        }
    }

    /** The re-implemented conditions of one match block: headers (cheap) first, then the path. */
    private record Cond(PathCond path, String[] headerNames, ValueCond[] headerValues) {

        static Cond of(HTTPMatchRequest m) {
            if (m == null) {
                return new Cond(null, new String[0], new ValueCond[0]);
            }
            PathCond p = m.uri() == null ? null : new PathCond(ValueCond.of(m.uri()));
            Map<String, StringMatch> h = m.headers() == null ? Map.of() : m.headers();
            String[] names = h.keySet().stream().sorted().toArray(String[]::new);
            ValueCond[] values = new ValueCond[names.length];
            for (int i = 0; i < names.length; i++) {
                values[i] = ValueCond.of(h.get(names[i]));
            }
            return new Cond(p, names, values);
        }

        boolean matches(RequestView r, String path, int end) {
            for (int i = 0; i < headerNames.length; i++) {
                String v = r.header(headerNames[i]);
                if (v == null || !headerValues[i].matches(v, 0, v.length())) {
                    return false;
                }
            }
            return path == null || this.path.value.matches(path, 0, end);
        }
    }

    private record PathCond(ValueCond value) {
    }

    /** exact / prefix / regex on a region of a string. */
    private record ValueCond(String exact, String prefix, SimpleRegex fast, Pattern re2) {

        static ValueCond of(StringMatch s) {
            if (s.exact() != null) {
                return new ValueCond(s.exact(), null, null, null);
            }
            if (s.prefix() != null) {
                return new ValueCond(null, s.prefix(), null, null);
            }
            return new ValueCond(null, null, SimpleRegex.compile(s.regex()), Pattern.compile(s.regex()));
        }

        boolean matches(String v, int from, int to) {
            if (exact != null) {
                return to - from == exact.length() && v.regionMatches(from, exact, 0, exact.length());
            }
            if (prefix != null) {
                return to - from >= prefix.length() && v.regionMatches(from, prefix, 0, prefix.length());
            }
            if (fast != null) {
                int m = fast.match(v, from, to);
                if (m != SimpleRegex.UNKNOWN) {
                    return m == 1;
                }
            }
            return re2.matches(v.substring(from, to));
        }
    }
}
