package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.model.HeaderOperations;
import io.shadowgate.config.model.Headers;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.HeaderValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code route.TranslateHeadersOperations}: Istio {@code Headers} to header-op stages.
 *
 * <p>Names are lower-cased; {@code :}-prefixed names and {@code host} are dropped from the operations (istiod drops
 * them silently; its validation webhook would reject them, so Shadowgate warns). A {@code set} or {@code add} of
 * {@code :authority}/{@code host} becomes a host rewrite, {@code set} winning over {@code add}. Entries are sorted by
 * name, sets before adds, as Envoy receives them from istiod.
 */
final class HeaderCompiler {

    /** One level's translated operations. */
    record Ops(List<String> requestRemove, List<HeaderOps.Entry> requestSet, List<HeaderOps.Entry> requestAdd,
               List<String> responseRemove, List<HeaderOps.Entry> responseSet, List<HeaderOps.Entry> responseAdd,
               String authority) {

        static final Ops NONE = new Ops(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null);

        HeaderOps.Stage requestStage() {
            return new HeaderOps.Stage(requestRemove, requestSet, requestAdd);
        }

        HeaderOps.Stage responseStage() {
            return new HeaderOps.Stage(responseRemove, responseSet, responseAdd);
        }
    }

    private HeaderCompiler() {
    }

    static Ops translate(Headers h, Resource<?> owner, String path, Reporter rep) {
        if (h == null) {
            return Ops.NONE;
        }
        HeaderOperations req = h.request();
        HeaderOperations resp = h.response();
        String rp = path + ".request";
        String sp = path + ".response";
        String[] setAuthority = new String[1];
        String[] addAuthority = new String[1];
        List<HeaderOps.Entry> reqSet = entries(req == null ? null : req.set(), owner, rp + ".set", setAuthority, rep);
        List<HeaderOps.Entry> reqAdd = entries(req == null ? null : req.add(), owner, rp + ".add", addAuthority, rep);
        List<HeaderOps.Entry> respSet = entries(resp == null ? null : resp.set(), owner, sp + ".set", null, rep);
        List<HeaderOps.Entry> respAdd = entries(resp == null ? null : resp.add(), owner, sp + ".add", null, rep);
        String authority = setAuthority[0] != null ? setAuthority[0] : addAuthority[0];
        return new Ops(removals(req == null ? null : req.remove(), owner, rp + ".remove", rep), reqSet, reqAdd,
                removals(resp == null ? null : resp.remove(), owner, sp + ".remove", rep), respSet, respAdd,
                authority);
    }

    /** Stages without the empty ones. */
    static HeaderOps ops(HeaderOps.Stage... stages) {
        List<HeaderOps.Stage> kept = new ArrayList<>();
        for (HeaderOps.Stage s : stages) {
            if (!s.remove().isEmpty() || !s.set().isEmpty() || !s.add().isEmpty()) {
                kept.add(s);
            }
        }
        return kept.isEmpty() ? HeaderOps.NONE : new HeaderOps(kept);
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<HeaderOps.Entry> entries(Map<String, String> in, Resource<?> owner, String path,
                                                 String[] authority, Reporter rep) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<HeaderOps.Entry> out = new ArrayList<>();
        for (Map.Entry<String, String> e : in.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String field = Locations.field(path, e.getKey());
            String value = e.getValue() == null ? "" : e.getValue();
            if (name.isEmpty()) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, field, "a header name cannot be empty");
                continue;
            }
            if (name.equals(":authority") || name.equals("host")) {
                if (authority != null) {
                    authority[0] = value;
                } else {
                    rep.warn(owner, DiagnosticCodes.INEFFECTIVE, field, name + " cannot be set on a response; dropped");
                }
                continue;
            }
            if (name.startsWith(":")) {
                rep.warn(owner, DiagnosticCodes.INEFFECTIVE, field,
                        "pseudo-header " + name + " cannot be set; dropped (Istio's validation rejects it)");
                continue;
            }
            try {
                HeaderValue v = HeaderFormat.parse(value);
                out.add(new HeaderOps.Entry(name, v));
            } catch (IllegalArgumentException ex) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, field, "invalid header value \"" + value + "\": "
                        + ex.getMessage());
            }
        }
        out.sort(Comparator.comparing(HeaderOps.Entry::name));
        return out;
    }

    private static List<String> removals(List<String> in, Resource<?> owner, String path, Reporter rep) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String name = in.get(i) == null ? "" : in.get(i).toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, Locations.index(path, i), "a header name cannot be empty");
                continue;
            }
            if (name.startsWith(":") || name.equals("host")) {
                rep.warn(owner, DiagnosticCodes.INEFFECTIVE, Locations.index(path, i),
                        name + " cannot be removed; dropped (Istio's validation rejects it)");
                continue;
            }
            out.add(name);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
