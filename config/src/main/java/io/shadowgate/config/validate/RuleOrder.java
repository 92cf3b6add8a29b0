package io.shadowgate.config.validate;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.StringMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * istiod's {@code analyzeUnreachableHTTPRules}, made semantic: rules are tried in order and the first match wins, so
 * a match block that an earlier block already covers can never be used ({@code IST0131}
 * VirtualServiceIneffectiveMatch), and a rule all of whose blocks are covered, or that follows a rule without
 * match, is never reached ({@code IST0130} VirtualServiceUnreachableRule). Both are warnings, as in istiod.
 *
 * <p>"Covers" is decided conservatively: block A covers block B when every condition of A is implied by a condition
 * of B (the same value, a longer prefix, an exact value under the prefix, the same regex); istiod itself flags only
 * identical blocks. A uri prefix {@code /} covers every path.
 */
final class RuleOrder {

    private record Seen(HTTPMatchRequest match, int rule, int index) {
    }

    private RuleOrder() {
    }

    static void check(Resource<?> r, List<HTTPRoute> rules, Sink sink) {
        int matchless = -1;
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            HTTPRoute rule = rules.get(i);
            if (rule == null) {
                continue;
            }
            String path = "spec.http[" + i + "]";
            List<HTTPMatchRequest> matches = rule.match();
            if (matches == null || matches.isEmpty()) {
                if (matchless >= 0) {
                    sink.report(r, DiagnosticCodes.UNREACHABLE_RULE, path, "rule " + name(rule, i) + " is never used: "
                            + "rule " + name(rules.get(matchless), matchless) + " before it has no match and takes "
                            + "every request (only the last rule can have no matches); give one of them a match, or "
                            + "delete this one");
                }
                matchless = i;
                continue;
            }
            if (matchless >= 0) {
                sink.report(r, DiagnosticCodes.UNREACHABLE_RULE, path, "rule " + name(rule, i) + " is never used: rule "
                        + name(rules.get(matchless), matchless) + " before it has no match and takes every request "
                        + "(route without matches defined before); move this rule above it");
                continue;
            }
            int covered = 0;
            int present = 0;
            for (int j = 0; j < matches.size(); j++) {
                HTTPMatchRequest m = matches.get(j);
                if (m == null) {
                    continue;
                }
                present++;
                Seen by = null;
                for (Seen s : seen) {
                    if (covers(s.match(), m)) {
                        by = s;
                        break;
                    }
                }
                if (by != null) {
                    covered++;
                    String what = by.match().equals(m) ? "the same match" : "a wider match that covers it";
                    sink.report(r, DiagnosticCodes.INEFFECTIVE_MATCH, path + ".match[" + j + "]", "match " + j
                            + " of rule " + name(rule, i) + " is never used: rule " + name(rules.get(by.rule()),
                            by.rule()) + " match " + by.index() + " comes first and has " + what
                            + "; remove this match, or move this rule before that one");
                } else {
                    seen.add(new Seen(m, i, j));
                }
            }
            if (present > 0 && covered == present) {
                sink.report(r, DiagnosticCodes.UNREACHABLE_RULE, path, "rule " + name(rule, i) + " is never used: all "
                        + "its matches are taken by earlier rules (all matches used by prior rules); move it up, or "
                        + "delete it");
            }
        }
    }

    private static String name(HTTPRoute rule, int i) {
        return rule.name() == null || rule.name().isEmpty() ? "http[" + i + "]" : "http[" + i + "] (" + rule.name()
                + ")";
    }

    /** Whether every request {@code b} matches is matched by {@code a}. */
    static boolean covers(HTTPMatchRequest a, HTTPMatchRequest b) {
        return uriCovers(a, b)
                && implied(a.scheme(), b.scheme())
                && implied(a.method(), b.method())
                && implied(a.authority(), b.authority())
                && mapImplied(a.headers(), b.headers())
                && mapImplied(a.queryParams(), b.queryParams())
                && entriesContained(a.withoutHeaders(), b.withoutHeaders())
                && (a.port() == null || a.port() == 0 || Objects.equals(a.port(), b.port()))
                && entriesContained(a.sourceLabels(), b.sourceLabels())
                && (a.gateways() == null || a.gateways().isEmpty()
                    || (b.gateways() != null && !b.gateways().isEmpty() && a.gateways().containsAll(b.gateways())))
                && (a.sourceNamespace() == null || a.sourceNamespace().isEmpty()
                    || a.sourceNamespace().equals(b.sourceNamespace()));
    }

    private static boolean uriCovers(HTTPMatchRequest a, HTTPMatchRequest b) {
        StringMatch au = a.uri();
        if (au == null || au.isEmpty() || "/".equals(au.prefix()) || "".equals(au.prefix())) {
            return true; // every path starts with "/"
        }
        StringMatch bu = b.uri();
        if (bu == null) {
            return false;
        }
        boolean aIgnore = Boolean.TRUE.equals(a.ignoreUriCase());
        boolean bIgnore = Boolean.TRUE.equals(b.ignoreUriCase());
        if (au.regex() != null) {
            return au.regex().equals(bu.regex());
        }
        if (!aIgnore && bIgnore) {
            return false; // b also takes other cases that a does not
        }
        String bValue = bu.exact() != null ? bu.exact() : bu.prefix();
        if (bValue == null) {
            return false;
        }
        if (au.exact() != null) {
            return bu.exact() != null && (aIgnore ? au.exact().equalsIgnoreCase(bValue) : au.exact().equals(bValue));
        }
        String p = au.prefix();
        return bValue.regionMatches(aIgnore, 0, p, 0, p.length()) && bValue.length() >= p.length();
    }

    /** Whether condition {@code b} implies {@code a} ({@code a == null}: no condition). */
    private static boolean implied(StringMatch a, StringMatch b) {
        if (a == null) {
            return true;
        }
        if (b == null) {
            return false;
        }
        if (a.isEmpty()) {
            return true; // presence: any value b requires is present
        }
        if (a.exact() != null) {
            return a.exact().equals(b.exact());
        }
        if (a.prefix() != null) {
            String v = b.exact() != null ? b.exact() : b.prefix();
            return v != null && v.startsWith(a.prefix());
        }
        return a.regex().equals(b.regex());
    }

    private static boolean mapImplied(Map<String, StringMatch> a, Map<String, StringMatch> b) {
        if (a == null || a.isEmpty()) {
            return true;
        }
        if (b == null) {
            return false;
        }
        for (Map.Entry<String, StringMatch> e : a.entrySet()) {
            if (e.getValue() == null || !b.containsKey(e.getKey()) || !implied(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static <V> boolean entriesContained(Map<String, V> a, Map<String, V> b) {
        if (a == null || a.isEmpty()) {
            return true;
        }
        return b != null && b.entrySet().containsAll(a.entrySet());
    }
}
