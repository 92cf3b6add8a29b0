package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.match.CompiledRegex;
import io.shadowgate.config.match.RequestMatchers;
import io.shadowgate.config.match.StringMatchers;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.StringMatch;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code route.TranslateRouteMatch}: one match block to one AND-ed {@link RequestMatcher}. Conditions are checked in
 * Envoy's order: path, then headers (scheme, method, authority, headers, withoutHeaders, each group sorted by name,
 * as Istio sorts them), then query parameters.
 */
final class MatchCompiler {

    /** Header keys Istio handles through the dedicated fields and skips in {@code headers}. */
    private static final Set<String> SKIPPED_HEADER_KEYS = Set.of("uri", "scheme", "method", "authority");
    private static final int MAX_REGEX = 1024;

    private MatchCompiler() {
    }

    /**
     * Compiles {@code m} (written at {@code path} of {@code owner}); {@code null} means a rule without match:
     * {@link RequestMatcher#ANY}. Problems are reported; an invalid condition never matches.
     */
    static RequestMatcher compile(HTTPMatchRequest m, Resource<?> owner, String path, Reporter rep,
                                  Regexes regexes) {
        if (m == null) {
            return RequestMatcher.ANY;
        }
        List<RequestMatcher> conditions = new ArrayList<>();
        boolean ignoreCase = Boolean.TRUE.equals(m.ignoreUriCase());
        StringMatch uri = m.uri();
        if (uri != null) {
            String up = path + ".uri";
            if (uri.exact() != null) {
                conditions.add(RequestMatchers.pathExact(uri.exact(), ignoreCase));
            } else if (uri.prefix() != null) {
                conditions.add(RequestMatchers.pathPrefix(uri.prefix().isEmpty() ? "/" : uri.prefix(), ignoreCase));
            } else if (uri.regex() != null) {
                CompiledRegex re = regex(uri.regex(), owner, up + ".regex", rep, regexes);
                if (re != null) {
                    conditions.add(RequestMatchers.pathRegex(re));
                } else {
                    conditions.add(RequestMatchers.never("invalid uri regex"));
                }
            } else {
                // An empty StringMatch leaves Istio's default path match in place: prefix "/".
                conditions.add(RequestMatchers.pathPrefix("/", false));
            }
        }
        header(conditions, RequestMatchers.Source.SCHEME, ":scheme", m.scheme(), owner, path + ".scheme", rep,
                regexes);
        header(conditions, RequestMatchers.Source.METHOD, ":method", m.method(), owner, path + ".method", rep,
                regexes);
        header(conditions, RequestMatchers.Source.AUTHORITY, ":authority", m.authority(), owner, path + ".authority",
                rep, regexes);
        for (Map.Entry<String, StringMatch> e : sorted(m.headers()).entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String hp = Locations.field(path + ".headers", e.getKey());
            if (SKIPPED_HEADER_KEYS.contains(name)) {
                continue;
            }
            if (name.startsWith("@request.auth.claims")) {
                rep.warn(owner, DiagnosticCodes.UNSUPPORTED, hp, "JWT claim matching needs Istio's request "
                        + "authentication, which Shadowgate does not implement; this match block never matches");
                conditions.add(RequestMatchers.never("JWT claim " + name));
                continue;
            }
            StringMatcher sm = value(e.getValue(), owner, hp, rep, regexes);
            conditions.add(sm == INVALID ? RequestMatchers.never("invalid header match")
                    : RequestMatchers.header(name, sm));
        }
        for (Map.Entry<String, StringMatch> e : sorted(m.withoutHeaders()).entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String hp = Locations.field(path + ".withoutHeaders", e.getKey());
            StringMatcher sm = value(e.getValue(), owner, hp, rep, regexes);
            conditions.add(sm == INVALID ? RequestMatchers.never("invalid header match")
                    : RequestMatchers.withoutHeader(name, sm));
        }
        for (Map.Entry<String, StringMatch> e : sorted(m.queryParams()).entrySet()) {
            String qp = Locations.field(path + ".queryParams", e.getKey());
            StringMatcher sm = value(e.getValue(), owner, qp, rep, regexes);
            conditions.add(sm == INVALID ? RequestMatchers.never("invalid query match")
                    : RequestMatchers.queryParam(e.getKey(), sm));
        }
        if (m.port() != null && (m.port() < 0 || m.port() > 65535)) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".port", "port " + m.port() + " (expected: 1..65535)");
        }
        return RequestMatchers.allOf(conditions);
    }

    /**
     * {@code isCatchAllMatch}: uri prefix {@code /} (or regex {@code *}) and nothing else; after such a match no
     * later rule can be reached.
     */
    static boolean isCatchAll(HTTPMatchRequest m) {
        boolean catchAll = false;
        if (m.uri() != null) {
            catchAll = "/".equals(m.uri().prefix()) || "*".equals(m.uri().regex());
        }
        return catchAll && empty(m.headers()) && empty(m.queryParams()) && empty(m.sourceLabels())
                && empty(m.withoutHeaders()) && (m.gateways() == null || m.gateways().isEmpty())
                && m.method() == null && m.scheme() == null && (m.port() == null || m.port() == 0)
                && m.authority() == null && (m.sourceNamespace() == null || m.sourceNamespace().isEmpty());
    }

    /** The uri value a prefix rewrite replaces: the match's {@code prefix} or {@code exact}, else {@code null}. */
    static String matchedPrefix(HTTPMatchRequest m) {
        if (m == null || m.uri() == null) {
            return null;
        }
        if (m.uri().prefix() != null) {
            return m.uri().prefix();
        }
        return m.uri().exact();
    }

    /** Marker for an invalid value condition. */
    private static final StringMatcher INVALID = new StringMatcher() {
        @Override
        public boolean matches(String value) {
            return false;
        }

        @Override
        public String describe() {
            return "invalid";
        }
    };

    private static void header(List<RequestMatcher> out, RequestMatchers.Source source, String name, StringMatch sm,
                               Resource<?> owner, String path, Reporter rep, Regexes regexes) {
        if (sm == null) {
            return;
        }
        StringMatcher v = value(sm, owner, path, rep, regexes);
        out.add(v == INVALID ? RequestMatchers.never("invalid " + name + " match")
                : RequestMatchers.header(source, name, v, false, false));
    }

    /**
     * {@code translateHeaderMatch}: {@code {}} and {@code regex: "*"} mean present ({@code null}); otherwise the
     * Envoy string matcher. An empty prefix is rejected as Istio's validation does.
     */
    private static StringMatcher value(StringMatch sm, Resource<?> owner, String path, Reporter rep,
                                       Regexes regexes) {
        if (sm == null || sm.isEmpty() || "*".equals(sm.regex())) {
            return null;
        }
        if (sm.exact() != null) {
            return StringMatchers.exact(sm.exact(), false);
        }
        if (sm.prefix() != null) {
            if (sm.prefix().isEmpty()) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".prefix",
                        "an empty prefix is not allowed here (use {} to match any value)");
                return INVALID;
            }
            return StringMatchers.prefix(sm.prefix(), false);
        }
        CompiledRegex re = regex(sm.regex(), owner, path + ".regex", rep, regexes);
        return re == null ? INVALID : StringMatchers.regex(re);
    }

    /**
     * {@code validateStringRegexp} (not empty, at most 1024 characters, valid RE2), and the compiled regex when it
     * passes: validation and the matcher share one compilation ({@code regexes}). {@code null} when it fails, with
     * the problem reported.
     */
    static CompiledRegex regex(String regex, Resource<?> owner, String path, Reporter rep, Regexes regexes) {
        if (regex.isEmpty()) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path, "a regex cannot be empty");
            return null;
        }
        if (regex.length() > MAX_REGEX) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path,
                    "regex is " + regex.length() + " characters long (expected: at most " + MAX_REGEX + ")");
            return null;
        }
        try {
            return regexes.compile(regex);
        } catch (IllegalArgumentException e) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path, e.getMessage());
            return null;
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return m == null ? Map.of() : new TreeMap<>(m);
    }

    private static boolean empty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }
}
