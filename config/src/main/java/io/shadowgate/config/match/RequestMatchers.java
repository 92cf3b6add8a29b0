package io.shadowgate.config.match;

import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.StringMatcher;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Factories for {@link RequestMatcher}: the conditions of one Istio match block, each with Envoy's semantics.
 * Combine them with {@link #allOf(List)} (evaluated cheapest first); Istio's OR of match blocks is expressed as
 * separate routes.
 */
public final class RequestMatchers {

    /** What a header condition reads. */
    public enum Source {
        /** A request header by (lower-case) name. */
        HEADER,
        /** {@code :method}. */
        METHOD,
        /** {@code :scheme}. */
        SCHEME,
        /** {@code :authority} (the Host header, port included when sent). */
        AUTHORITY
    }

    private RequestMatchers() {
    }

    /** Istio {@code uri.exact}: the path without query string equals {@code value}. */
    public static RequestMatcher pathExact(String value, boolean ignoreCase) {
        return new PathExact(value, ignoreCase);
    }

    /** Istio {@code uri.prefix}: the path without query starts with {@code value} ({@code /foo} matches {@code /foobar}). */
    public static RequestMatcher pathPrefix(String value, boolean ignoreCase) {
        return new PathPrefix(value, ignoreCase);
    }

    /**
     * Istio {@code uri.regex}: the whole path without query matches (case-sensitive whatever {@code ignoreUriCase}
     * says, as Envoy applies {@code case_sensitive} to exact and prefix only).
     */
    public static RequestMatcher pathRegex(String regex) {
        return pathRegex(CompiledRegex.compile(regex));
    }

    /** {@link #pathRegex(String)} with a regex compiled once for the whole snapshot. */
    public static RequestMatcher pathRegex(CompiledRegex regex) {
        return new PathRegex(regex, StringMatchers.literalPrefix(regex.source()));
    }

    /**
     * A header condition as Envoy's {@code HeaderMatcher}.
     *
     * @param source                 what is read
     * @param name                   lower-case header name (for {@link Source#HEADER}), used in descriptions
     * @param matcher                the value condition, or {@code null} for {@code present_match}
     * @param invert                 {@code invert_match} ({@code withoutHeaders})
     * @param treatMissingAsEmpty    {@code treat_missing_header_as_empty}
     */
    public static RequestMatcher header(Source source, String name, StringMatcher matcher, boolean invert,
                                        boolean treatMissingAsEmpty) {
        return new Header(source, name, matcher, invert, treatMissingAsEmpty);
    }

    /** Istio {@code headers: {name: match}}; {@code match == null} means present. */
    public static RequestMatcher header(String name, StringMatcher match) {
        return new Header(Source.HEADER, name, match, false, false);
    }

    /**
     * Istio {@code withoutHeaders: {name: match}}: inverted; a missing header counts as empty unless {@code match} is
     * {@code null} (presence), in which case the condition holds only when the header is absent.
     */
    public static RequestMatcher withoutHeader(String name, StringMatcher match) {
        return new Header(Source.HEADER, name, match, true, match != null);
    }

    /** Istio {@code queryParams: {name: match}}; {@code match == null} means present ({@code ?name} or {@code ?name=x}). */
    public static RequestMatcher queryParam(String name, StringMatcher match) {
        return new Query(name, match);
    }

    /**
     * All conditions hold. {@code matches} evaluates the cheap ones first (literal path and value comparisons, header
     * presence, method, then query parameters, then regexes: every condition is pure, so the order cannot change the
     * answer); {@code describe} and {@code mismatch} keep the declared order, the first failing condition explaining
     * the mismatch.
     */
    public static RequestMatcher allOf(List<RequestMatcher> conditions) {
        if (conditions.isEmpty()) {
            return RequestMatcher.ANY;
        }
        if (conditions.size() == 1) {
            return conditions.get(0);
        }
        RequestMatcher[] declared = conditions.toArray(new RequestMatcher[0]);
        RequestMatcher[] cheapFirst = declared.clone();
        Arrays.sort(cheapFirst, Comparator.comparingInt(RequestMatchers::cost)); // stable
        return new AllOf(declared, cheapFirst);
    }

    /** A rough per-request cost rank, for {@link #allOf}'s evaluation order. */
    private static int cost(RequestMatcher m) {
        if (m == RequestMatcher.ANY || m instanceof Never) {
            return 0;
        }
        if (m instanceof PathExact || m instanceof PathPrefix) {
            return 1;
        }
        if (m instanceof Header h) {
            return h.matcher() == null ? 1 : StringMatchers.cost(h.matcher());
        }
        if (m instanceof Query q) {
            return 2 + (q.matcher() == null ? 0 : StringMatchers.cost(q.matcher())); // may parse the query string
        }
        if (m instanceof PathRegex p) {
            return p.regex().hasFastPath() ? StringMatchers.FAST_REGEX_COST : StringMatchers.RE2J_COST;
        }
        return StringMatchers.FAST_REGEX_COST; // another implementation: after the literal comparisons
    }

    /** Never matches; {@code reason} says why (a condition Shadowgate cannot evaluate). */
    public static RequestMatcher never(String reason) {
        return new Never(reason);
    }

    /** The index where the path ends: the first {@code ?} or {@code #}, else its length. */
    static int pathEnd(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return path.length();
    }

    private static String shown(String v) {
        return v == null ? "absent" : StringMatchers.quote(v);
    }

    private static String pathOnly(String path) {
        int end = pathEnd(path);
        return end == path.length() ? path : path.substring(0, end);
    }

    private record PathExact(String value, boolean ignoreCase) implements RequestMatcher {
        @Override
        public boolean matches(RequestView r) {
            String p = r.path();
            return pathEnd(p) == value.length() && p.regionMatches(ignoreCase, 0, value, 0, value.length());
        }

        @Override
        public String requiredPathPrefix() {
            return value;
        }

        @Override
        public String describe() {
            return "uri exact " + StringMatchers.quote(value) + (ignoreCase ? " (ignoring case)" : "");
        }

        @Override
        public String mismatch(RequestView r) {
            return matches(r) ? null : describe() + " (request path " + shown(pathOnly(r.path())) + ")";
        }
    }

    private record PathPrefix(String value, boolean ignoreCase) implements RequestMatcher {
        @Override
        public boolean matches(RequestView r) {
            String p = r.path();
            return pathEnd(p) >= value.length() && p.regionMatches(ignoreCase, 0, value, 0, value.length());
        }

        @Override
        public String requiredPathPrefix() {
            return value;
        }

        @Override
        public String describe() {
            return "uri prefix " + StringMatchers.quote(value) + (ignoreCase ? " (ignoring case)" : "");
        }

        @Override
        public String mismatch(RequestView r) {
            return matches(r) ? null : describe() + " (request path " + shown(pathOnly(r.path())) + ")";
        }
    }

    /** {@code literalPrefix}: computed once, what every matching path starts with. */
    private record PathRegex(CompiledRegex regex, String literalPrefix) implements RequestMatcher {
        @Override
        public boolean matches(RequestView r) {
            String p = r.path();
            return regex.matches(p, 0, pathEnd(p));
        }

        @Override
        public String requiredPathPrefix() {
            return literalPrefix;
        }

        @Override
        public String describe() {
            return "uri regex " + StringMatchers.quote(regex.source());
        }

        @Override
        public String mismatch(RequestView r) {
            return matches(r) ? null : describe() + " (request path " + shown(pathOnly(r.path())) + ")";
        }
    }

    private record Header(Source source, String name, StringMatcher matcher, boolean invert,
                          boolean treatMissingAsEmpty) implements RequestMatcher {

        private String value(RequestView r) {
            return switch (source) {
                case HEADER -> r.header(name);
                case METHOD -> r.method();
                case SCHEME -> r.scheme();
                case AUTHORITY -> r.authority();
            };
        }

        @Override
        public boolean matches(RequestView r) {
            String v = value(r);
            // Envoy HeaderUtility::matchHeaders: a missing header not treated as empty decides without a comparison.
            if (v == null && !treatMissingAsEmpty) {
                return invert && matcher == null;
            }
            boolean m = matcher == null || matcher.matches(v == null ? "" : v);
            return m != invert;
        }

        private String label() {
            return switch (source) {
                case HEADER -> (invert ? "without header " : "header ") + name;
                case METHOD -> (invert ? "not " : "") + "method";
                case SCHEME -> (invert ? "not " : "") + "scheme";
                case AUTHORITY -> (invert ? "not " : "") + "authority";
            };
        }

        @Override
        public String describe() {
            if (matcher == null) {
                return invert ? "header " + name + " absent" : "header " + name + " present";
            }
            return label() + " " + matcher.describe();
        }

        @Override
        public String mismatch(RequestView r) {
            return matches(r) ? null : describe() + " (request: " + shown(value(r)) + ")";
        }
    }

    private record Query(String name, StringMatcher matcher) implements RequestMatcher {
        @Override
        public boolean matches(RequestView r) {
            String v = r.queryParam(name);
            return v != null && (matcher == null || matcher.matches(v));
        }

        @Override
        public String describe() {
            return matcher == null ? "query " + name + " present" : "query " + name + " " + matcher.describe();
        }

        @Override
        public String mismatch(RequestView r) {
            return matches(r) ? null : describe() + " (request: " + shown(r.queryParam(name)) + ")";
        }
    }

    /** {@code conditions} in declared order, for explanations; {@code cheapFirst}, the same, for evaluation. */
    private record AllOf(RequestMatcher[] conditions, RequestMatcher[] cheapFirst) implements RequestMatcher {
        @Override
        public boolean matches(RequestView r) {
            for (RequestMatcher c : cheapFirst) {
                if (!c.matches(r)) {
                    return false;
                }
            }
            return true;
        }

        /** Every condition holds, so the longest prefix any of them requires is required. */
        @Override
        public String requiredPathPrefix() {
            String longest = "";
            for (RequestMatcher c : conditions) {
                String p = c.requiredPathPrefix();
                if (p.length() > longest.length()) {
                    longest = p;
                }
            }
            return longest;
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder();
            for (RequestMatcher c : conditions) {
                if (sb.length() > 0) {
                    sb.append(" and ");
                }
                sb.append(c.describe());
            }
            return sb.toString();
        }

        @Override
        public String mismatch(RequestView r) {
            for (RequestMatcher c : conditions) {
                String m = c.mismatch(r);
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
    }

    private record Never(String reason) implements RequestMatcher {
        @Override
        public boolean matches(RequestView r) {
            return false;
        }

        @Override
        public String describe() {
            return "never (" + reason + ")";
        }
    }
}
