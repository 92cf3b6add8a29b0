package io.shadowgate.compare.diff;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowgate.compare.group.PathTemplates;
import io.shadowgate.compare.noise.IgnoreRules;
import io.shadowgate.compare.noise.ValueShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural JSON comparison. One instance per comparison; not thread-safe.
 *
 * <p>Objects are compared key by key (key order does not matter), numbers by numeric value
 * ({@code 1} equals {@code 1.0}), arrays element by element. An array of the same length whose
 * elements are the same multiset in another order yields one {@link DiffKind#ARRAY_ORDER_CHANGED}
 * instead of a difference per element; an array of another length yields
 * {@link DiffKind#ARRAY_LENGTH_CHANGED} and its common prefix is still compared element by element,
 * so a field added to every element is still seen. A whole added or removed subtree is one
 * difference, not one per leaf.
 *
 * <p>Locations the sink watches ({@link DifferenceSink#watched()}) are reported as observed when
 * present on both sides, equal or not — including inside arrays found equal as a whole. Only nodes
 * on the way to a watched location are looked at for that (their grouping path is built
 * incrementally), so watching costs next to nothing on large documents.
 */
final class JsonDiffer {

    private final IgnoreRules rules;
    private final DifferenceSink sink;
    private final ArrayList<Object> path = new ArrayList<>();
    /** Grouping paths (and their prefixes) of the watched JSON locations; empty when none. */
    private final Set<String> watchedPrefixes;
    /** Per depth of the walk: the grouping path when on the way to a watched location, else null. */
    private String[] live = new String[16];

    JsonDiffer(IgnoreRules rules, DifferenceSink sink) {
        this.rules = rules;
        this.sink = sink;
        this.watchedPrefixes = sink.watching() ? prefixes(sink.watched()) : Set.of();
        live[0] = watchedPrefixes.contains("$") ? "$" : null;
    }

    /** Every watched {@code $...} path and its prefixes at segment boundaries. */
    private static Set<String> prefixes(Set<String> watched) {
        Set<String> out = new HashSet<>();
        for (String w : watched) {
            if (!w.startsWith("$")) {
                continue;
            }
            out.add(w);
            for (int i = 1; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c == '.' || c == '[') {
                    // A '.' or '[' inside a bracketed key only adds a useless prefix, never a wrong match.
                    out.add(w.substring(0, i));
                }
            }
            out.add("$");
        }
        return out;
    }

    /** Descends into a key or index, keeping the grouping path of watched ancestors. */
    private void enter(Object token) {
        String parent = live[path.size()];
        path.add(token);
        int depth = path.size();
        if (depth == live.length) {
            live = Arrays.copyOf(live, depth * 2);
        }
        String here = null;
        if (parent != null) {
            StringBuilder sb = new StringBuilder(parent);
            appendToken(sb, token);
            String t = sb.toString();
            here = watchedPrefixes.contains(t) ? t : null;
        }
        live[depth] = here;
    }

    private void leave() {
        live[path.size()] = null;
        path.remove(path.size() - 1);
    }

    /** Reports the current location as present on both sides when it is watched. */
    private void observeHere() {
        String here = live[path.size()];
        if (here != null) {
            sink.observe(here);
        }
    }

    /**
     * Reports the watched locations under a node that is known to be present, and equal or equal up
     * to order, on both sides (an array compared as a whole).
     */
    private void observeSubtree(JsonNode n) {
        if (live[path.size()] == null) {
            return;
        }
        observeHere();
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                enter(e.getKey());
                if (!ignored()) {
                    observeSubtree(e.getValue());
                }
                leave();
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                enter(i);
                if (!ignored()) {
                    observeSubtree(n.get(i));
                }
                leave();
            }
        }
    }

    void compare(JsonNode a, JsonNode b) {
        // Once one difference beyond the bound was seen, the exchange is known to be truncated: stop.
        if (sink.truncated() || ignored()) {
            return;
        }
        observeHere();
        String ta = type(a);
        String tb = type(b);
        if (!ta.equals(tb)) {
            emit(DiffKind.TYPE_CHANGED, ta + "→" + tb, a.toString(), b.toString());
            return;
        }
        switch (ta) {
            case "object" -> compareObjects(a, b);
            case "array" -> compareArrays(a, b);
            case "number" -> {
                if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
                    emitValueChange(a.toString(), b.toString());
                }
            }
            default -> {
                if (!a.equals(b)) {
                    emitValueChange(a.toString(), b.toString());
                }
            }
        }
    }

    private void compareObjects(JsonNode a, JsonNode b) {
        for (Map.Entry<String, JsonNode> e : a.properties()) {
            enter(e.getKey());
            JsonNode other = b.get(e.getKey());
            if (other == null) {
                if (!ignored()) {
                    emit(DiffKind.REMOVED, null, e.getValue().toString(), null);
                }
            } else {
                compare(e.getValue(), other);
            }
            leave();
        }
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            if (a.has(e.getKey())) {
                continue;
            }
            enter(e.getKey());
            if (!ignored()) {
                emit(DiffKind.ADDED, null, null, e.getValue().toString());
            }
            leave();
        }
    }

    /** A scalar change: a format change of a generated-looking value is its own kind (see {@link ValueShape}). */
    private void emitValueChange(String a, String b) {
        String format = ValueShape.formatChange(a, b);
        if (format != null) {
            emit(DiffKind.FORMAT_CHANGED, format, a, b);
        } else {
            emit(DiffKind.VALUE_CHANGED, null, a, b);
        }
    }

    private void compareArrays(JsonNode a, JsonNode b) {
        int na = a.size();
        int nb = b.size();
        if (sink.unordered().contains(template(path))) {
            compareAsMultisets(a, b);
            return;
        }
        if (na != nb) {
            emit(DiffKind.ARRAY_LENGTH_CHANGED, null, na + " items: " + a, nb + " items: " + b);
        } else if (na > 1) {
            List<String> ca = canonicalElements(a);
            List<String> cb = canonicalElements(b);
            if (ca.equals(cb)) {
                observeSubtree(a);
                return;
            }
            if (sameMultiset(ca, cb)) {
                emit(DiffKind.ARRAY_ORDER_CHANGED, null, a.toString(), b.toString());
                observeSubtree(a);
                return;
            }
        }
        int common = Math.min(na, nb);
        for (int i = 0; i < common && !sink.truncated(); i++) {
            enter(i);
            compare(a.get(i), b.get(i));
            leave();
        }
    }

    /**
     * An array the primary's own version returns in varying order: equal as multisets means equal; otherwise one
     * {@link DiffKind#SET_CHANGED} naming the elements missing in the mirror and the extra ones.
     */
    private void compareAsMultisets(JsonNode a, JsonNode b) {
        List<String> ca = canonicalElements(a);
        List<String> cb = canonicalElements(b);
        Map<String, Integer> counts = new HashMap<>();
        for (String s : ca) {
            counts.merge(s, 1, Integer::sum);
        }
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < cb.size(); i++) {
            Integer c = counts.get(cb.get(i));
            if (c == null || c == 0) {
                extra.add(b.get(i).toString());
            } else {
                counts.put(cb.get(i), c - 1);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < ca.size(); i++) {
            Integer c = counts.get(ca.get(i));
            if (c != null && c > 0) {
                missing.add(a.get(i).toString());
                counts.put(ca.get(i), c - 1);
            }
        }
        observeSubtree(a);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            emit(DiffKind.SET_CHANGED, null, "missing: " + missing, "extra: " + extra);
        }
    }

    private List<String> canonicalElements(JsonNode array) {
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            path.add(i);
            StringBuilder sb = new StringBuilder();
            canonical(array.get(i), sb);
            out.add(sb.toString());
            path.remove(path.size() - 1);
        }
        return out;
    }

    /** A string equal for equivalent nodes: sorted keys, normalised numbers, ignored locations left out. */
    private void canonical(JsonNode n, StringBuilder sb) {
        switch (type(n)) {
            case "object" -> {
                List<String> names = new ArrayList<>();
                n.fieldNames().forEachRemaining(names::add);
                names.sort(null);
                sb.append('{');
                for (String name : names) {
                    path.add(name);
                    if (!ignored()) {
                        sb.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(name)).append(':');
                        canonical(n.get(name), sb);
                        sb.append(',');
                    }
                    path.remove(path.size() - 1);
                }
                sb.append('}');
            }
            case "array" -> {
                sb.append('[');
                for (int i = 0; i < n.size(); i++) {
                    path.add(i);
                    if (!ignored()) {
                        canonical(n.get(i), sb);
                    }
                    sb.append(',');
                    path.remove(path.size() - 1);
                }
                sb.append(']');
            }
            case "number" -> sb.append(n.decimalValue().stripTrailingZeros());
            default -> sb.append(n);
        }
    }

    private static boolean sameMultiset(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        for (String s : a) {
            counts.merge(s, 1, Integer::sum);
        }
        for (String s : b) {
            Integer c = counts.get(s);
            if (c == null) {
                return false;
            }
            if (c == 1) {
                counts.remove(s);
            } else {
                counts.put(s, c - 1);
            }
        }
        return counts.isEmpty();
    }

    private boolean ignored() {
        return rules.hasJsonRules() && rules.ignoresJson(path);
    }

    private void emit(DiffKind kind, String detail, String primary, String mirror) {
        sink.add(template(path), concrete(path), kind, detail, primary, mirror);
    }

    static String type(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
            case STRING, BINARY -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL, MISSING -> "null";
        };
    }

    /** {@code $.items[3].id}. */
    static String concrete(List<Object> path) {
        StringBuilder sb = new StringBuilder("$");
        for (Object t : path) {
            if (t instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                appendKey(sb, (String) t);
            }
        }
        return sb.toString();
    }

    /** {@code $.items[*].id}: indexes and id-like keys collapsed so that occurrences group together. */
    static String template(List<Object> path) {
        StringBuilder sb = new StringBuilder("$");
        for (Object t : path) {
            appendToken(sb, t);
        }
        return sb.toString();
    }

    private static void appendToken(StringBuilder sb, Object t) {
        if (t instanceof Integer || PathTemplates.isIdLike((String) t)) {
            sb.append("[*]");
        } else {
            appendKey(sb, (String) t);
        }
    }

    private static void appendKey(StringBuilder sb, String key) {
        if (isIdentifier(key)) {
            sb.append('.').append(key);
        } else {
            sb.append("['").append(key.replace("\\", "\\\\").replace("'", "\\'")).append("']");
        }
    }

    private static boolean isIdentifier(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
