package io.shadowgate.config.validate;

import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.CorsPolicy;
import io.shadowgate.config.model.Destination;
import io.shadowgate.config.model.HTTPDirectResponse;
import io.shadowgate.config.model.HTTPFaultInjection;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.HTTPMirrorPolicy;
import io.shadowgate.config.model.HTTPRedirect;
import io.shadowgate.config.model.HTTPRetry;
import io.shadowgate.config.model.HTTPRewrite;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.HTTPRouteDestination;
import io.shadowgate.config.model.HeaderOperations;
import io.shadowgate.config.model.Headers;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Percent;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.StringMatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * istiod's {@code validateHTTPRoute} and what it calls, for one rule of a VirtualService: actions and the options
 * that may combine with them, destinations, mirrors, matches, header operations, rewrites, redirects, direct
 * responses, faults, retries, timeouts and CORS.
 *
 * <p>Field paths are those the compiler uses for the same problem, so that a problem found by both is reported
 * once.
 */
final class HttpRouteRules {

    /** Envoy's regex program-size budget is far larger; istiod caps the source length. */
    static final int MAX_REGEX = 1024;

    private HttpRouteRules() {
    }

    static void check(Resource<?> r, HTTPRoute rule, String path, boolean inDelegate, Sink sink) {
        if (rule == null) {
            sink.error(r, path, "an http rule cannot be empty (null); remove it or give it an action");
            return;
        }
        boolean hasRoute = rule.route() != null && !rule.route().isEmpty();
        actions(r, rule, hasRoute, path, inDelegate, sink);
        mirrors(r, rule, path, sink);
        if (rule.route() != null) {
            destinations(r, rule.route(), path, sink);
        }
        if (rule.match() != null) {
            for (int j = 0; j < rule.match().size(); j++) {
                HTTPMatchRequest m = rule.match().get(j);
                String mp = path + ".match[" + j + "]";
                if (m == null) {
                    sink.error(r, mp, "a match block cannot be null; remove the empty list entry");
                    continue;
                }
                match(r, m, mp, sink);
            }
        }
        headerOps(r, rule.headers(), path + ".headers", sink);
        authority(r, rule.rewrite() == null ? null : rule.rewrite().authority(), rule.headers(), path, sink);
        rewrite(r, rule.rewrite(), path + ".rewrite", sink);
        if (rule.redirect() != null) {
            redirect(r, rule.redirect(), rule.match(), path + ".redirect", sink);
        }
        if (rule.directResponse() != null) {
            directResponse(r, rule.directResponse(), path + ".directResponse", sink);
        }
        fault(r, rule.fault(), path + ".fault", sink);
        retries(r, rule.retries(), path + ".retries", sink);
        sink.errorIf(r, path + ".timeout", Names.duration(rule.timeout(), false));
        cors(r, rule.corsPolicy(), path + ".corsPolicy", sink);
    }

    // ---- actions ----

    private static void actions(Resource<?> r, HTTPRoute rule, boolean hasRoute, String path, boolean inDelegate,
                                Sink sink) {
        if (rule.delegate() != null) {
            if (inDelegate) {
                sink.error(r, path + ".delegate", "a delegate VirtualService cannot delegate again; replace delegate "
                        + "with route, redirect or directResponse");
            } else if (hasRoute || rule.redirect() != null) {
                sink.error(r, path + ".delegate", "a rule with delegate cannot also set route or redirect; move them "
                        + "into the delegate VirtualService");
            }
            String ns = rule.delegate().namespace();
            if (ns != null && !ns.isEmpty() && !Names.isDns1123Label(ns)) {
                sink.error(r, path + ".delegate.namespace", "delegate namespace " + Names.quote(ns)
                        + " is not a valid namespace name (lower-case letters, digits and '-')");
            }
            String name = rule.delegate().name();
            if (name != null && !name.isEmpty() && Names.fqdn(name) != null) {
                sink.error(r, path + ".delegate.name", "delegate name " + Names.quote(name)
                        + " is not a valid VirtualService name");
            }
        }
        if (rule.redirect() != null) {
            List<String> with = new ArrayList<>();
            if (hasRoute) {
                with.add("route");
            }
            if (rule.fault() != null) {
                with.add("fault");
            }
            if (rule.rewrite() != null) {
                with.add("rewrite");
            }
            if (rule.directResponse() != null) {
                with.add("directResponse");
            }
            if (!with.isEmpty()) {
                sink.error(r, path + ".redirect", "redirect cannot be combined with " + String.join(", ", with)
                        + "; a rule has one action: keep redirect or remove it");
            }
        }
        if (rule.directResponse() != null) {
            List<String> with = new ArrayList<>();
            if (hasRoute) {
                with.add("route");
            }
            if (rule.fault() != null) {
                with.add("fault");
            }
            if (rule.rewrite() != null) {
                with.add("rewrite");
            }
            if (rule.redirect() != null) {
                with.add("redirect");
            }
            if (!with.isEmpty()) {
                sink.error(r, path + ".directResponse", "directResponse cannot be combined with "
                        + String.join(", ", with) + "; a rule has one action: keep directResponse or remove it");
            }
        }
        if (!hasRoute && rule.redirect() == null && rule.directResponse() == null && rule.delegate() == null) {
            sink.error(r, path, "HTTP route, redirect or direct_response is required: add route (with at least one "
                    + "destination), redirect, directResponse or delegate");
        }
    }

    // ---- mirrors (§1.6) ----

    private static void mirrors(Resource<?> r, HTTPRoute rule, String path, Sink sink) {
        boolean hasMirrors = rule.mirrors() != null && !rule.mirrors().isEmpty();
        if (rule.mirror() != null && hasMirrors) {
            sink.error(r, path + ".mirrors", "mirror and mirrors cannot both be set; move the mirror (with its "
                    + "mirrorPercentage as percentage) into mirrors");
        }
        if (rule.mirrorPercent() != null) {
            // The CRD also accepts the snake_case alias; point at the key as written.
            String field = r.locations().has(path + ".mirror_percent") ? path + ".mirror_percent"
                    : path + ".mirrorPercent";
            if (rule.mirrorPercent() < 0 || rule.mirrorPercent() > 100) {
                sink.error(r, field, "mirrorPercent " + rule.mirrorPercent() + " is out of range (expected: 0..100)");
            }
            sink.warn(r, field, "mirrorPercent is deprecated; use mirrorPercentage: {value: "
                    + rule.mirrorPercent() + "}");
        }
        percent(r, rule.mirrorPercentage(), path + ".mirrorPercentage.value", "mirrorPercentage", sink);
        if (rule.mirror() != null) {
            destination(r, rule.mirror(), path + ".mirror", sink);
        }
        if (rule.mirrors() != null) {
            for (int k = 0; k < rule.mirrors().size(); k++) {
                HTTPMirrorPolicy mp = rule.mirrors().get(k);
                String p = path + ".mirrors[" + k + "]";
                if (mp == null || mp.destination() == null) {
                    sink.error(r, p + ".destination", "a mirrors entry needs a destination: {host: ..., subset: ...}");
                    continue;
                }
                destination(r, mp.destination(), p + ".destination", sink);
                percent(r, mp.percentage(), p + ".percentage.value", "percentage", sink);
            }
        }
    }

    /** A mirror percentage: [0, 100], no lower granularity bound (unlike fault percentages). */
    private static void percent(Resource<?> r, Percent p, String field, String what, Sink sink) {
        if (p != null && p.value() != null && (p.value().isNaN() || p.value() < 0 || p.value() > 100)) {
            sink.error(r, field, what + " " + p.value() + " is out of range (expected: 0..100)");
        }
    }

    // ---- destinations ----

    private static void destinations(Resource<?> r, List<HTTPRouteDestination> ds, String path, Sink sink) {
        long total = 0;
        boolean allPresent = true;
        for (int j = 0; j < ds.size(); j++) {
            HTTPRouteDestination d = ds.get(j);
            String p = path + ".route[" + j + "]";
            if (d == null) {
                sink.error(r, p, "a route entry cannot be empty (null); remove it or give it a destination");
                allPresent = false;
                continue;
            }
            if (d.destination() == null) {
                sink.error(r, p + ".destination", "a route entry needs a destination: {host: ..., subset: ...}");
                allPresent = false;
            } else {
                destination(r, d.destination(), p + ".destination", sink);
            }
            int w = d.weight() == null ? 0 : d.weight();
            if (w < 0) {
                sink.error(r, p + ".weight", "weight " + w + " is negative (expected: >= 0)");
                allPresent = false;
            }
            total += w;
            headerOps(r, d.headers(), p + ".headers", sink);
            authority(r, null, d.headers(), p, sink);
        }
        if (allPresent && ds.size() > 1 && total == 0) {
            sink.error(r, path + ".route", "total destination weight is 0: give at least one destination a weight "
                    + "> 0 (weights are shares and need not add up to 100)");
        }
    }

    /** {@code validateDestination}: route, mirror and mirrors destinations alike. */
    static void destination(Resource<?> r, Destination d, String path, Sink sink) {
        String host = d.host();
        if (host != null && !host.isEmpty()) {
            if (host.equals("*")) {
                sink.error(r, path + ".host", "a destination host cannot be *; name one service");
            } else {
                sink.errorIf(r, path + ".host", Names.wildcardDomain(host));
            }
        }
        if (d.subset() != null && !d.subset().isEmpty() && !Names.isDns1123Label(d.subset())) {
            sink.error(r, path + ".subset", "subset " + Names.quote(d.subset()) + " is not a valid subset name "
                    + "(lower-case letters, digits and '-', at most 63)");
        }
        if (d.port() != null) {
            Long n = d.port().number();
            if (n == null || n < 1 || n > 65535) {
                sink.error(r, path + ".port.number", "port " + n + " is out of range (expected: 1..65535)");
            }
        }
    }

    // ---- matches ----

    private static void match(Resource<?> r, HTTPMatchRequest m, String path, Sink sink) {
        if (m.uri() != null) {
            oneOf(r, m.uri(), path + ".uri", sink);
            if (m.uri().regex() != null) {
                sink.errorIf(r, path + ".uri.regex", regexProblem(m.uri().regex()));
            }
        }
        stringMatch(r, m.scheme(), path + ".scheme", false, sink);
        stringMatch(r, m.method(), path + ".method", false, sink);
        stringMatch(r, m.authority(), path + ".authority", false, sink);
        headerMatches(r, m.headers(), path + ".headers", false, sink);
        headerMatches(r, m.withoutHeaders(), path + ".withoutHeaders", true, sink);
        if (m.queryParams() != null) {
            for (Map.Entry<String, StringMatch> e : m.queryParams().entrySet()) {
                String qp = Locations.field(path + ".queryParams", e.getKey());
                if (e.getValue() == null) {
                    sink.error(r, qp, "query parameter match " + e.getKey() + " cannot be null; use {} to match "
                            + "presence");
                    continue;
                }
                stringMatch(r, e.getValue(), qp, false, sink);
            }
        }
        if (m.port() != null && m.port() != 0 && (m.port() < 1 || m.port() > 65535)) {
            sink.error(r, path + ".port", "port " + m.port() + " is out of range (expected: 1..65535)");
        }
        sink.errorIf(r, path + ".sourceLabels", Names.labelsProblem(m.sourceLabels()));
        if (m.sourceNamespace() != null && !m.sourceNamespace().isEmpty()
                && !Names.isDns1123Label(m.sourceNamespace())) {
            sink.error(r, path + ".sourceNamespace", "sourceNamespace " + Names.quote(m.sourceNamespace())
                    + " is not a valid namespace name (lower-case letters, digits and '-')");
        }
    }

    private static void headerMatches(Resource<?> r, Map<String, StringMatch> headers, String path,
                                      boolean starIsPresence, Sink sink) {
        if (headers == null) {
            return;
        }
        for (Map.Entry<String, StringMatch> e : headers.entrySet()) {
            String name = e.getKey();
            String hp = Locations.field(path, name);
            if (e.getValue() == null) {
                sink.error(r, hp, "header match " + name + " cannot be null; use {} to match presence");
                continue;
            }
            if (name.isEmpty()) {
                sink.error(r, hp, "a header name cannot be empty");
            } else if (Names.isJwtClaim(name)) {
                if (!Names.isValidJwtClaim(name)) {
                    sink.error(r, hp, "JWT claim " + Names.quote(name) + " is malformed; write "
                            + "@request.auth.claims.<name> or @request.auth.claims[<name>][<nested>]");
                }
            } else if (!Names.isHeaderName(name.startsWith(":") ? name.substring(1) : name)) {
                sink.error(r, hp, "header name " + Names.quote(name) + " is not a valid HTTP header name (letters, "
                        + "digits and !#$%&'*+-.^_`|~)");
            }
            if (starIsPresence && "*".equals(e.getValue().regex())) {
                continue;
            }
            stringMatch(r, e.getValue(), hp, false, sink);
        }
    }

    /** {@code validateStringMatch}: no empty prefix outside {@code uri}, a valid regex. */
    private static void stringMatch(Resource<?> r, StringMatch sm, String path, boolean allowEmptyPrefix, Sink sink) {
        if (sm == null) {
            return;
        }
        oneOf(r, sm, path, sink);
        if (sm.prefix() != null && sm.prefix().isEmpty() && !allowEmptyPrefix) {
            sink.error(r, path + ".prefix", "an empty prefix is not allowed here; use {} to match any value");
        }
        if (sm.regex() != null) {
            sink.errorIf(r, path + ".regex", regexProblem(sm.regex()));
        }
    }

    private static void oneOf(Resource<?> r, StringMatch sm, String path, Sink sink) {
        int set = (sm.exact() != null ? 1 : 0) + (sm.prefix() != null ? 1 : 0) + (sm.regex() != null ? 1 : 0);
        if (set > 1) {
            sink.error(r, path, "exact, prefix and regex are alternatives; keep one of them");
        }
    }

    /** {@code validateStringRegexp}: not empty, at most 1024 characters, valid RE2. */
    static String regexProblem(String regex) {
        if (regex.isEmpty()) {
            return "a regex cannot be empty; use prefix: / or {} to match anything";
        }
        if (regex.length() > MAX_REGEX) {
            return "regex is " + regex.length() + " characters long (expected: at most " + MAX_REGEX + ")";
        }
        try {
            com.google.re2j.Pattern.compile(regex);
            return null;
        } catch (com.google.re2j.PatternSyntaxException e) {
            return "regex " + Names.quote(regex) + " is not valid RE2: " + e.getDescription()
                    + (regex.equals("*") ? " (to match any value, use {} or prefix instead)" : "");
        }
    }

    // ---- header operations ----

    private static void headerOps(Resource<?> r, Headers h, String path, Sink sink) {
        if (h == null) {
            return;
        }
        if (h.request() != null) {
            HeaderOperations q = h.request();
            setOrAdd(r, q.set(), path + ".request.set", true, sink);
            setOrAdd(r, q.add(), path + ".request.add", true, sink);
            removals(r, q.remove(), path + ".request.remove", sink);
        }
        if (h.response() != null) {
            HeaderOperations s = h.response();
            setOrAdd(r, s.set(), path + ".response.set", false, sink);
            setOrAdd(r, s.add(), path + ".response.add", false, sink);
            removals(r, s.remove(), path + ".response.remove", sink);
        }
    }

    private static void setOrAdd(Resource<?> r, Map<String, String> ops, String path, boolean request, Sink sink) {
        if (ops == null) {
            return;
        }
        for (Map.Entry<String, String> e : ops.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String field = Locations.field(path, e.getKey());
            if (name.isEmpty()) {
                sink.error(r, field, "a header name cannot be empty");
                continue;
            }
            boolean authority = name.equals(":authority") || name.equals("host");
            if (!request && authority) {
                sink.error(r, field, name + " cannot be set on a response; remove it");
                continue;
            }
            if (name.startsWith(":") && !authority) {
                sink.error(r, field, "pseudo-header " + name + " cannot be set (only :authority may be, to rewrite "
                        + "the host); remove it");
                continue;
            }
            if (!Names.isHeaderName(authority ? "host" : name)) {
                sink.error(r, field, "header name " + Names.quote(e.getKey()) + " is not a valid HTTP header name");
                continue;
            }
            sink.errorIf(r, field, headerValueProblem(e.getValue() == null ? "" : e.getValue()));
        }
    }

    private static void removals(Resource<?> r, List<String> names, String path, Sink sink) {
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i).toLowerCase(Locale.ROOT);
            String field = Locations.index(path, i);
            if (name.isEmpty()) {
                sink.error(r, field, "a header name cannot be empty");
            } else if (name.startsWith(":") || name.equals("host")) {
                sink.error(r, field, name + " cannot be removed; remove it from the list");
            } else if (!Names.isHeaderName(name)) {
                sink.error(r, field, "header name " + Names.quote(names.get(i)) + " is not a valid HTTP header name");
            }
        }
    }

    /**
     * Envoy's header value syntax as istiod checks it ({@code header_value_validator.go}): no control characters,
     * {@code %%} for a literal {@code %}, variables as {@code %NAME%} or {@code %NAME(args)%}. Unknown variable
     * names are the compiler's to report.
     */
    static String headerValueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return "header value contains a control character at position " + i + "; remove it";
            }
        }
        int i = 0;
        int n = value.length();
        while (i < n) {
            if (value.charAt(i) != '%') {
                i++;
                continue;
            }
            if (i + 1 < n && value.charAt(i + 1) == '%') {
                i += 2;
                continue;
            }
            int j = i + 1;
            while (j < n && (Character.isUpperCase(value.charAt(j)) || Character.isDigit(value.charAt(j))
                    || value.charAt(j) == '_')) {
                j++;
            }
            if (j == i + 1) {
                return "invalid header value " + Names.quote(value) + ": unescaped % at position " + i
                        + " (write %% for a literal %)";
            }
            if (j < n && value.charAt(j) == '(') {
                int close = value.indexOf(')', j);
                if (close < 0) {
                    return "invalid header value " + Names.quote(value) + ": missing ) after "
                            + value.substring(i, j + 1);
                }
                j = close + 1;
            }
            if (j >= n || value.charAt(j) != '%') {
                return "invalid header value " + Names.quote(value) + ": variable " + value.substring(i, j)
                        + " is not closed with % (write %% for a literal %)";
            }
            i = j + 1;
        }
        return null;
    }

    /** {@code validateAuthorityRewrite}: the authority may be set in one place only. */
    private static void authority(Resource<?> r, String rewriteAuthority, Headers h, String path, Sink sink) {
        List<String> places = new ArrayList<>();
        if (rewriteAuthority != null && !rewriteAuthority.isEmpty()) {
            places.add("rewrite.authority");
        }
        if (h != null && h.request() != null) {
            for (String kind : List.of("set", "add")) {
                Map<String, String> ops = kind.equals("set") ? h.request().set() : h.request().add();
                if (ops == null) {
                    continue;
                }
                for (String k : ops.keySet()) {
                    String name = k.toLowerCase(Locale.ROOT);
                    if (name.equals("host") || name.equals(":authority")) {
                        places.add("headers.request." + kind + "." + k);
                    }
                }
            }
        }
        if (places.size() > 1) {
            String field = places.get(0).equals("rewrite.authority") ? path + ".rewrite.authority"
                    : path + ".headers.request";
            sink.error(r, field, "the authority is set more than once (" + String.join(", ", places)
                    + "); keep one of them");
        }
    }

    // ---- rewrite, redirect, direct response ----

    private static void rewrite(Resource<?> r, HTTPRewrite rw, String path, Sink sink) {
        if (rw == null) {
            return;
        }
        boolean uri = rw.uri() != null && !rw.uri().isEmpty();
        boolean regex = rw.uriRegexRewrite() != null;
        boolean authority = rw.authority() != null && !rw.authority().isEmpty();
        if (uri && regex) {
            sink.error(r, path, "uri and uriRegexRewrite cannot both be set; keep one of them");
        }
        if (!uri && !regex && !authority) {
            sink.error(r, path, "rewrite needs at least one of uri, uriRegexRewrite or authority");
        }
        if (regex) {
            var rr = rw.uriRegexRewrite();
            if (rr.match() == null || rr.rewrite() == null) {
                sink.error(r, path + ".uriRegexRewrite", "uriRegexRewrite needs both match and rewrite");
            }
            if (rr.match() != null) {
                sink.errorIf(r, path + ".uriRegexRewrite.match", regexProblem(rr.match()));
            }
        }
    }

    private static void redirect(Resource<?> r, HTTPRedirect rd, List<HTTPMatchRequest> matches, String path,
                                 Sink sink) {
        boolean uri = rd.uri() != null && !rd.uri().isEmpty();
        boolean prefix = rd.prefixRewrite() != null && !rd.prefixRewrite().isEmpty();
        boolean authority = rd.authority() != null && !rd.authority().isEmpty();
        boolean port = rd.port() != null && rd.port() != 0;
        boolean scheme = rd.scheme() != null && !rd.scheme().isEmpty();
        boolean derive = rd.derivePort() != null && !rd.derivePort().isEmpty();
        if (uri && prefix) {
            sink.error(r, path, "uri and prefixRewrite cannot both be set; keep one of them");
        }
        if (!uri && !prefix && !authority && !port && !scheme && !derive) {
            sink.error(r, path, "redirect needs at least one of uri, prefixRewrite, authority, port, derivePort or "
                    + "scheme");
        }
        if (prefix && matches != null) {
            for (HTTPMatchRequest m : matches) {
                if (m != null && m.uri() != null && m.uri().prefix() == null) {
                    sink.error(r, path + ".prefixRewrite", "prefixRewrite replaces a matched prefix, but this rule "
                            + "matches the uri with " + (m.uri().exact() != null ? "exact" : "regex")
                            + "; match with prefix, or redirect with uri");
                    break;
                }
            }
        }
        if (rd.redirectCode() != null && rd.redirectCode() != 0
                && (rd.redirectCode() < 300 || rd.redirectCode() > 399)) {
            sink.error(r, path + ".redirectCode", "redirectCode " + rd.redirectCode()
                    + " is not a redirect status (expected: 300..399, usually 301, 302, 307 or 308)");
        }
        if (scheme && !rd.scheme().equals("http") && !rd.scheme().equals("https")) {
            sink.error(r, path + ".scheme", "scheme " + Names.quote(rd.scheme()) + " is not supported (expected: "
                    + "http or https)");
        }
        if (rd.port() != null && (rd.port() < 0 || rd.port() > 65535)) {
            sink.error(r, path + ".port", "port " + rd.port() + " is out of range (expected: 1..65535)");
        }
        if (derive) {
            String d = rd.derivePort().toUpperCase(Locale.ROOT);
            if (!d.equals("FROM_PROTOCOL_DEFAULT") && !d.equals("FROM_REQUEST_PORT")) {
                sink.error(r, path + ".derivePort", "derivePort " + Names.quote(rd.derivePort())
                        + " is unknown (expected: FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT)");
            }
        }
    }

    private static void directResponse(Resource<?> r, HTTPDirectResponse d, String path, Sink sink) {
        if (d.status() != null && (d.status() < 200 || d.status() > 600)) {
            sink.error(r, path + ".status", "status " + d.status() + " is out of range (expected: 200..599)");
        }
        if (d.body() == null) {
            return;
        }
        if (d.body().string() != null && d.body().bytes() != null) {
            sink.error(r, path + ".body", "body.string and body.bytes cannot both be set; keep one of them");
            return;
        }
        int size;
        if (d.body().string() != null) {
            size = d.body().string().getBytes(StandardCharsets.UTF_8).length;
        } else if (d.body().bytes() != null) {
            try {
                size = base64(d.body().bytes()).length;
            } catch (IllegalArgumentException e) {
                sink.error(r, path + ".body.bytes", "body.bytes is not base64: " + e.getMessage());
                return;
            }
        } else {
            return;
        }
        if (size > 1024 * 1024) {
            sink.error(r, path + ".body", "body is " + size + " bytes; a direct response body may be at most 1 MiB");
        } else if (size > 100 * 1024) {
            sink.warn(r, path + ".body", "body is " + size + " bytes; direct response bodies over 100 KiB are kept "
                    + "in memory for every route that uses them; consider serving it from a backend");
        }
    }

    private static byte[] base64(String text) {
        String s = text.replaceAll("\\s", "");
        while (s.length() % 4 != 0) {
            s = s + "=";
        }
        return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s)
                : Base64.getDecoder().decode(s);
    }

    // ---- fault, retries, CORS ----

    private static void fault(Resource<?> r, HTTPFaultInjection f, String path, Sink sink) {
        if (f == null) {
            return;
        }
        if (f.delay() == null && f.abort() == null) {
            sink.error(r, path, "fault needs delay or abort");
            return;
        }
        if (f.delay() != null) {
            String dp = path + ".delay";
            var d = f.delay();
            if (d.exponentialDelay() != null) {
                sink.error(r, dp + ".exponentialDelay", "exponentialDelay is not supported; use fixedDelay");
            } else if (d.fixedDelay() == null) {
                sink.error(r, dp + ".fixedDelay", "delay needs fixedDelay (for example fixedDelay: 5s)");
            }
            sink.errorIf(r, dp + ".fixedDelay", Names.duration(d.fixedDelay(), false));
            faultPercentage(r, d.percentage(), dp + ".percentage.value", sink);
            if (d.percent() != null) {
                if (d.percent() < 0 || d.percent() > 100) {
                    sink.error(r, dp + ".percent", "percent " + d.percent() + " is out of range (expected: 0..100)");
                }
                sink.warn(r, dp + ".percent", "percent is deprecated; use percentage: {value: " + d.percent() + "}");
            }
        }
        if (f.abort() != null) {
            String ap = path + ".abort";
            var a = f.abort();
            if (a.http2Error() != null) {
                sink.error(r, ap + ".http2Error", "http2Error is not supported; use httpStatus or grpcStatus");
            }
            if (a.httpStatus() != null) {
                if (a.httpStatus() < 200 || a.httpStatus() > 600) {
                    sink.error(r, ap + ".httpStatus", "httpStatus " + a.httpStatus()
                            + " is not a valid HTTP status (expected: 200..599)");
                }
            } else if (a.grpcStatus() != null) {
                if (!IstioSyntax.GRPC_STATUS.contains(a.grpcStatus().toUpperCase(Locale.ROOT))) {
                    sink.error(r, ap + ".grpcStatus", "unknown gRPC status " + Names.quote(a.grpcStatus())
                            + " (expected a name such as UNAVAILABLE or DEADLINE_EXCEEDED)");
                }
            } else if (a.http2Error() == null) {
                sink.warn(r, ap, "abort sets no httpStatus or grpcStatus, so it never aborts; add httpStatus "
                        + "(for example 503)");
            }
            faultPercentage(r, a.percentage(), ap + ".percentage.value", sink);
        }
    }

    /** {@code validatePercentage}: 0, or 0.0001..100. */
    private static void faultPercentage(Resource<?> r, Percent p, String field, Sink sink) {
        if (p == null || p.value() == null) {
            return;
        }
        double v = p.value();
        if (v != 0 && (v < 0.0001 || v > 100 || Double.isNaN(v))) {
            sink.error(r, field, "percentage " + v + " is out of range (expected: 0, or 0.0001..100)");
        }
    }

    private static void retries(Resource<?> r, HTTPRetry rt, String path, Sink sink) {
        if (rt == null) {
            return;
        }
        int attempts = rt.attempts() == null ? 0 : rt.attempts();
        if (attempts < 0) {
            sink.error(r, path + ".attempts", "attempts " + attempts + " is negative (expected: >= 0; 0 disables "
                    + "retries)");
        } else if (attempts == 0 && (rt.perTryTimeout() != null || (rt.retryOn() != null && !rt.retryOn().isEmpty())
                || rt.retryRemoteLocalities() != null)) {
            sink.error(r, path + ".attempts", "attempts is 0 (retries disabled) but perTryTimeout, retryOn or "
                    + "retryRemoteLocalities is set; set attempts, or remove them");
        }
        sink.errorIf(r, path + ".perTryTimeout", Names.duration(rt.perTryTimeout(), false));
        sink.errorIf(r, path + ".backoff", Names.duration(rt.backoff(), false));
        if (rt.retryOn() != null && !rt.retryOn().isEmpty()) {
            for (String part : rt.retryOn().split(",", -1)) {
                String p = part.strip();
                if (IstioSyntax.RETRY_ON.contains(p)) {
                    continue;
                }
                Integer code = null;
                try {
                    code = Integer.parseInt(p);
                } catch (NumberFormatException ignored) {
                    code = null;
                }
                if (code == null || !IstioSyntax.HTTP_CODES.contains(code)) {
                    sink.error(r, path + ".retryOn", Names.quote(p) + " is not a valid retryOn policy (expected "
                            + "5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, "
                            + "retriable-status-codes, ... or an HTTP status code, comma-separated)");
                    break;
                }
            }
        }
    }

    private static void cors(Resource<?> r, CorsPolicy c, String path, Sink sink) {
        if (c == null) {
            return;
        }
        if (c.allowOrigins() != null) {
            for (int i = 0; i < c.allowOrigins().size(); i++) {
                StringMatch sm = c.allowOrigins().get(i);
                String op = path + ".allowOrigins[" + i + "]";
                if (sm == null || sm.isEmpty()) {
                    sink.error(r, op, "an origin match needs exact, prefix or regex");
                } else {
                    oneOf(r, sm, op, sink);
                    if (sm.regex() != null) {
                        sink.errorIf(r, op + ".regex", regexProblem(sm.regex()));
                    }
                }
            }
        }
        if (c.allowMethods() != null) {
            for (int i = 0; i < c.allowMethods().size(); i++) {
                String m = c.allowMethods().get(i);
                if (m == null || !IstioSyntax.CORS_METHODS.contains(m)) {
                    sink.error(r, path + ".allowMethods[" + i + "]", "unsupported method " + Names.quote(m)
                            + " (expected an upper-case HTTP method: GET, POST, PUT, DELETE, PATCH, ...)");
                }
            }
        }
        headerNames(r, c.allowHeaders(), path + ".allowHeaders", sink);
        headerNames(r, c.exposeHeaders(), path + ".exposeHeaders", sink);
        if (c.maxAge() != null) {
            String problem = Names.duration(c.maxAge(), false);
            Duration d = Names.parseOrNull(c.maxAge());
            if (problem == null && d != null && d.getNano() != 0) {
                problem = "maxAge " + Names.quote(c.maxAge()) + " has a fraction of a second (expected: whole "
                        + "seconds, at least 1s)";
            }
            sink.errorIf(r, path + ".maxAge", problem);
        }
        if (c.unmatchedPreflights() != null) {
            String u = c.unmatchedPreflights().toUpperCase(Locale.ROOT);
            if (!u.equals("FORWARD") && !u.equals("IGNORE") && !u.equals("UNSPECIFIED")) {
                sink.error(r, path + ".unmatchedPreflights", "unmatchedPreflights "
                        + Names.quote(c.unmatchedPreflights()) + " is unknown (expected: FORWARD or IGNORE)");
            }
        }
    }

    private static void headerNames(Resource<?> r, List<String> names, String path, Sink sink) {
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!Names.isHeaderName(names.get(i))) {
                sink.error(r, path + "[" + i + "]", "header name " + Names.quote(names.get(i))
                        + " is not a valid HTTP header name");
            }
        }
    }
}
