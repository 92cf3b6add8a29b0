package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Durations;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.snapshot.CompareIgnore;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.MirrorOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Shadowgate's per-VirtualService options, read from {@code shadowgate.io/} annotations (Istio's YAML stays valid:
 * annotations are free-form). Every annotation is optional; an absent one leaves the gateway-wide default.
 *
 * <table>
 *   <caption>VirtualService annotations</caption>
 *   <tr><th>Annotation</th><th>Value</th><th>Effect</th></tr>
 *   <tr><td>{@code shadowgate.io/mirror-methods}</td><td>{@code "GET,HEAD"}</td>
 *       <td>mirror only requests with these methods ({@link MirrorOptions#methods()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-strip-headers}</td><td>{@code "authorization,cookie"}</td>
 *       <td>remove these headers from the mirrored copy only ({@link MirrorOptions#stripHeaders()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-set-headers}</td><td>{@code "x-shadow=true,x-env=staging"}</td>
 *       <td>set these headers on the copy only; values may use Envoy variables such as {@code %REQ(x-id)%}
 *       ({@link MirrorOptions#copyHeaders()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-remove-headers}</td><td>{@code "x-a,x-b"}</td>
 *       <td>remove these headers from the copy, in the same stage as the set-headers
 *       ({@link MirrorOptions#copyHeaders()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-sample-key}</td><td>{@code "header:x-user-id"}, {@code "cookie:session"},
 *       {@code "query:user"}</td>
 *       <td>sample by a hash of this value, so one user is always or never mirrored
 *       ({@link MirrorOptions#sampleKey()})</td></tr>
 *   <tr><td>{@code shadowgate.io/shadow-host-suffix}</td><td>{@code "true"} or {@code "false"}</td>
 *       <td>append {@code -shadow} to the copy's Host, as Istio before 1.28
 *       ({@link MirrorOptions#shadowHostSuffix()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-max-inflight}</td><td>{@code "100"}</td>
 *       <td>at most this many mirrored requests in flight per mirror destination
 *       ({@link MirrorOptions#maxInFlight()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-timeout}</td><td>{@code "2s"}</td>
 *       <td>timeout of each mirrored request ({@link MirrorOptions#timeout()})</td></tr>
 *   <tr><td>{@code shadowgate.io/mirror-max-body-bytes}</td><td>{@code "10485760"}</td>
 *       <td>at most this many body bytes buffered per mirrored request ({@link MirrorOptions#maxBufferedBytes()})</td></tr>
 *   <tr><td>{@code shadowgate.io/noise-samples-per-second}</td><td>{@code "10"}</td>
 *       <td>cap on the extra requests per second noise samples put on the primary destination; {@code "0"} forbids
 *       them ({@link MirrorOptions#noiseSamplesPerSecond()})</td></tr>
 *   <tr><td>{@code shadowgate.io/noise-sample-methods}</td><td>{@code "GET,POST"}</td>
 *       <td>methods whose requests may be sent twice to the primary's version; default GET, HEAD, OPTIONS
 *       ({@link MirrorOptions#noiseSampleMethods()})</td></tr>
 *   <tr><td>{@code shadowgate.io/compare}</td><td>{@code "true"} or {@code "false"}</td>
 *       <td>compare mirror responses with primary responses on this VirtualService's routes
 *       ({@link io.shadowgate.config.snapshot.ForwardAction#compare()})</td></tr>
 *   <tr><td>{@code shadowgate.io/compare-ignore}</td><td>{@code "/generatedAt,/items/*}{@code /price,header:x-build"}</td>
 *       <td>differences the comparison ignores on these routes: JSON pointers and {@code header:NAME}
 *       ({@link MirrorOptions#compareIgnore()})</td></tr>
 * </table>
 *
 * <p>A bad value is an ERROR naming the annotation; an unknown {@code shadowgate.io/} annotation is a WARNING with the
 * nearest known name. For routes inlined from a delegate VirtualService, the delegate's annotations override the
 * root's, key by key.
 */
final class MirrorAnnotations {

    static final String PREFIX = "shadowgate.io/";
    static final String METHODS = PREFIX + "mirror-methods";
    static final String STRIP_HEADERS = PREFIX + "mirror-strip-headers";
    static final String SET_HEADERS = PREFIX + "mirror-set-headers";
    static final String REMOVE_HEADERS = PREFIX + "mirror-remove-headers";
    static final String SAMPLE_KEY = PREFIX + "mirror-sample-key";
    static final String HOST_SUFFIX = PREFIX + "shadow-host-suffix";
    static final String MAX_INFLIGHT = PREFIX + "mirror-max-inflight";
    static final String TIMEOUT = PREFIX + "mirror-timeout";
    static final String MAX_BODY = PREFIX + "mirror-max-body-bytes";
    static final String COMPARE = PREFIX + "compare";
    static final String COMPARE_IGNORE = PREFIX + "compare-ignore";
    static final String NOISE_RATE = PREFIX + "noise-samples-per-second";
    static final String NOISE_METHODS = PREFIX + "noise-sample-methods";

    static final List<String> KNOWN = List.of(METHODS, STRIP_HEADERS, SET_HEADERS, REMOVE_HEADERS, SAMPLE_KEY,
            HOST_SUFFIX, MAX_INFLIGHT, TIMEOUT, MAX_BODY, COMPARE, COMPARE_IGNORE, NOISE_RATE, NOISE_METHODS);

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** The parsed options. */
    record Result(MirrorOptions options, Boolean compare) {
        static final Result DEFAULTS = new Result(MirrorOptions.DEFAULTS, null);
    }

    private MirrorAnnotations() {
    }

    /** Parses the {@code shadowgate.io/} annotations in {@code annotations}; problems are reported on {@code r}. */
    static Result parse(Map<String, String> annotations, Resource<?> r, Reporter rep) {
        boolean any = false;
        for (String k : annotations.keySet()) {
            if (k.startsWith(PREFIX)) {
                any = true;
                if (!KNOWN.contains(k)) {
                    String near = nearest(k);
                    rep.warn(r, DiagnosticCodes.UNKNOWN_ANNOTATION, field(k), "unknown annotation " + k + " (ignored)"
                            + (near == null ? "" : "; did you mean " + near + "?"));
                }
            }
        }
        if (!any) {
            return Result.DEFAULTS;
        }
        Set<String> methods = new LinkedHashSet<>();
        for (String m : list(annotations.get(METHODS))) {
            if (!TOKEN.matcher(m).matches()) {
                bad(r, METHODS, "\"" + m + "\" is not an HTTP method", rep);
            } else {
                methods.add(m.toUpperCase(Locale.ROOT));
            }
        }
        Set<String> strip = names(annotations.get(STRIP_HEADERS), STRIP_HEADERS, r, rep);
        List<HeaderOps.Entry> set = new ArrayList<>();
        for (String pair : list(annotations.get(SET_HEADERS))) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                bad(r, SET_HEADERS, "\"" + pair + "\" (expected: name=value)", rep);
                continue;
            }
            String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!TOKEN.matcher(name).matches()) {
                bad(r, SET_HEADERS, "\"" + name + "\" is not a header name", rep);
                continue;
            }
            try {
                set.add(new HeaderOps.Entry(name, HeaderFormat.parse(pair.substring(eq + 1).strip())));
            } catch (IllegalArgumentException e) {
                bad(r, SET_HEADERS, e.getMessage(), rep);
            }
        }
        set.sort(java.util.Comparator.comparing(HeaderOps.Entry::name));
        Set<String> remove = names(annotations.get(REMOVE_HEADERS), REMOVE_HEADERS, r, rep);
        HeaderOps copy = set.isEmpty() && remove.isEmpty() ? HeaderOps.NONE
                : new HeaderOps(List.of(new HeaderOps.Stage(List.copyOf(remove), set, List.of())));
        MirrorOptions.SampleKey sampleKey = null;
        String sk = annotations.get(SAMPLE_KEY);
        if (sk != null) {
            int colon = sk.indexOf(':');
            String source = colon < 0 ? "" : sk.substring(0, colon).strip();
            String name = colon < 0 ? "" : sk.substring(colon + 1).strip();
            if (!Set.of("header", "cookie", "query").contains(source) || name.isEmpty()) {
                bad(r, SAMPLE_KEY, "\"" + sk + "\" (expected: header:NAME, cookie:NAME or query:NAME)", rep);
            } else {
                sampleKey = new MirrorOptions.SampleKey(source,
                        source.equals("header") ? name.toLowerCase(Locale.ROOT) : name);
            }
        }
        Boolean suffix = bool(annotations.get(HOST_SUFFIX), HOST_SUFFIX, r, rep);
        Integer maxInFlight = null;
        String mi = annotations.get(MAX_INFLIGHT);
        if (mi != null) {
            try {
                maxInFlight = Integer.parseInt(mi.strip());
                if (maxInFlight <= 0) {
                    bad(r, MAX_INFLIGHT, "\"" + mi + "\" (expected: a positive integer)", rep);
                    maxInFlight = null;
                }
            } catch (NumberFormatException e) {
                bad(r, MAX_INFLIGHT, "\"" + mi + "\" (expected: a positive integer)", rep);
            }
        }
        Duration timeout = null;
        String t = annotations.get(TIMEOUT);
        if (t != null) {
            try {
                timeout = Durations.parse(t);
                if (timeout.isZero()) {
                    bad(r, TIMEOUT, "\"" + t + "\" (expected: a positive duration such as \"2s\")", rep);
                    timeout = null;
                }
            } catch (IllegalArgumentException e) {
                bad(r, TIMEOUT, e.getMessage(), rep);
            }
        }
        Long maxBody = null;
        String mb = annotations.get(MAX_BODY);
        if (mb != null) {
            try {
                maxBody = Long.parseLong(mb.strip());
                if (maxBody < 0) {
                    bad(r, MAX_BODY, "\"" + mb + "\" (expected: a number of bytes >= 0)", rep);
                    maxBody = null;
                }
            } catch (NumberFormatException e) {
                bad(r, MAX_BODY, "\"" + mb + "\" (expected: a number of bytes >= 0)", rep);
            }
        }
        Boolean compare = bool(annotations.get(COMPARE), COMPARE, r, rep);
        Double noiseRate = null;
        String nr = annotations.get(NOISE_RATE);
        if (nr != null) {
            try {
                noiseRate = Double.parseDouble(nr.strip());
                if (!(noiseRate >= 0 && noiseRate <= 1_000_000)) {
                    bad(r, NOISE_RATE, "\"" + nr + "\" (expected: requests per second, 0 to 1000000; 0 forbids samples)",
                            rep);
                    noiseRate = null;
                }
            } catch (NumberFormatException e) {
                bad(r, NOISE_RATE, "\"" + nr + "\" (expected: requests per second, 0 to 1000000; 0 forbids samples)",
                        rep);
            }
        }
        Set<String> noiseMethods = null;
        if (annotations.containsKey(NOISE_METHODS)) {
            noiseMethods = new LinkedHashSet<>();
            for (String m : list(annotations.get(NOISE_METHODS))) {
                if (!TOKEN.matcher(m).matches()) {
                    bad(r, NOISE_METHODS, "\"" + m + "\" is not an HTTP method", rep);
                } else {
                    noiseMethods.add(m.toUpperCase(Locale.ROOT));
                }
            }
        }
        MirrorOptions options = new MirrorOptions(methods, strip, copy, sampleKey, suffix, maxInFlight, timeout,
                maxBody, compareIgnore(annotations.get(COMPARE_IGNORE), r, rep), noiseRate, noiseMethods);
        return new Result(options, compare);
    }

    /** {@code /json/pointer} and {@code header:name} entries, comma-separated. */
    private static CompareIgnore compareIgnore(String value, Resource<?> r, Reporter rep) {
        List<String> headers = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        for (String entry : list(value)) {
            if (entry.startsWith("/")) {
                pointers.add(entry);
            } else if (entry.regionMatches(true, 0, "header:", 0, 7)
                    && TOKEN.matcher(entry.substring(7).strip().replace("*", "")).matches()) {
                headers.add(entry.substring(7).strip().toLowerCase(Locale.ROOT));
            } else {
                bad(r, COMPARE_IGNORE, "\"" + entry + "\" (expected: a JSON pointer such as /generatedAt or "
                        + "/items/*/price, or header:NAME)", rep);
            }
        }
        return new CompareIgnore(headers, pointers);
    }

    private static Set<String> names(String value, String key, Resource<?> r, Reporter rep) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : list(value)) {
            if (!TOKEN.matcher(n).matches()) {
                bad(r, key, "\"" + n + "\" is not a header name", rep);
            } else {
                out.add(n.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static Boolean bool(String value, String key, Resource<?> r, Reporter rep) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.equals("true")) {
            return Boolean.TRUE;
        }
        if (v.equals("false")) {
            return Boolean.FALSE;
        }
        bad(r, key, "\"" + value + "\" (expected: \"true\" or \"false\")", rep);
        return null;
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String p : value.split(",")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    private static void bad(Resource<?> r, String key, String message, Reporter rep) {
        rep.error(r, DiagnosticCodes.BAD_ANNOTATION, field(key), "annotation " + key + ": " + message);
    }

    private static String field(String key) {
        return Locations.field("metadata.annotations", key);
    }

    private static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KNOWN) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, (key.length() - PREFIX.length()) / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        return IstioSyntax.distance(a, b);
    }
}
