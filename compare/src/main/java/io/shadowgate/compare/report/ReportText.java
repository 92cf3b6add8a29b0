package io.shadowgate.compare.report;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Plain-text rendering of a report as fixed-width tables, for the {@code shadowgate report} CLI
 * command. Over-long cells are cut with {@code …} so columns stay aligned. Static, thread-safe.
 */
public final class ReportText {

    private static final int GROUP_WIDTH = 48;
    private static final int ROUTE_WIDTH = 40;
    private static final int PATH_WIDTH = 32;
    private static final int DESCRIPTION_WIDTH = 30;
    private static final int EXAMPLE_WIDTH = 60;

    private ReportText() {
    }

    /** The whole report: totals, routes with verdict lines, groups, then the differing fields per group. */
    public static String render(ComparisonReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Shadowgate compare report, since ").append(r.since()).append(", generated ").append(r.generatedAt())
                .append('\n');
        sb.append(String.format(Locale.ROOT, "compared %,d  identical %,d  different %,d  noise-only %,d  skipped %,d%s%n",
                r.compared(), r.identical(), r.different(), r.noiseOnly(), sum(r.skipped()), reasons(r.skipped())));
        if (r.foldedExchanges() > 0) {
            sb.append(String.format(Locale.ROOT, "%,d exchanges folded into (other): more than %,d groups%n",
                    r.foldedExchanges(), r.limits().maxGroups()));
        }
        sb.append('\n').append("ROUTES\n");
        sb.append(cell("ROUTE", ROUTE_WIDTH)).append(num("COMPARED", 10)).append(num("DIFF%", 8)).append("  VERDICT\n");
        for (RouteReport route : r.routes()) {
            sb.append(cell(route.route(), ROUTE_WIDTH)).append(num(count(route.compared()), 10))
                    .append(num(pct(route.differenceRate()), 8)).append("  ").append(route.verdict()).append('\n');
            sb.append("  ").append(route.verdictLine()).append('\n');
            if (route.errors() != null) {
                sb.append("  ").append(route.errors().summary()).append(" (p ").append(p(route.errors().pValue()))
                        .append(")\n");
            }
            if (route.latency() != null) {
                sb.append("  latency ").append(route.latency().summary()).append(String.format(Locale.ROOT,
                        " (P(slower) %.2f, p %s)", route.latency().probabilityHigher(),
                        p(route.latency().pValue()))).append('\n');
            }
            sb.append(String.format(Locale.ROOT, "  %,d v1-vs-v1 noise samples%s%n", route.noiseSamples(),
                    route.verdictSince() == null ? "" : "; verdict since " + route.verdictSince()));
        }
        sb.append('\n').append("GROUPS\n");
        sb.append(cell("GROUP", GROUP_WIDTH)).append(num("COMPARED", 10)).append(num("IDENT", 8)).append(num("DIFF", 8))
                .append(num("NOISE", 8)).append(num("SKIP", 8)).append(num("DIFF%", 8)).append(num("ERR% P/M", 14))
                .append(num("P95ms P/M", 16)).append("  VERDICT\n");
        for (GroupReport g : r.groups()) {
            sb.append(cell(g.name(), GROUP_WIDTH)).append(num(count(g.compared()), 10)).append(num(count(g.identical()), 8))
                    .append(num(count(g.different()), 8)).append(num(count(g.noiseOnly()), 8))
                    .append(num(count(sum(g.skipped())), 8)).append(num(pct(g.differenceRate()), 8))
                    .append(num(pctPlain(g.primary().errorRate()) + "/" + pctPlain(g.mirror().errorRate()), 14))
                    .append(num(ms(g.primary().latency().p95Millis()) + "/" + ms(g.mirror().latency().p95Millis()), 16))
                    .append("  ").append(g.verdict()).append('\n');
        }
        for (GroupReport g : r.groups()) {
            if (g.fields().isEmpty()) {
                continue;
            }
            String p = Verdicts.label(g.primary().version(), "primary");
            String m = Verdicts.label(g.mirror().version(), "mirror");
            sb.append('\n').append("FIELDS  ").append(g.name()).append('\n');
            sb.append(cell("PATH", PATH_WIDTH)).append(cell("DIFFERENCE", DESCRIPTION_WIDTH))
                    .append(num(m + "≠" + p, 14)).append(num(p + "≠" + p, 14)).append("  ").append(cell("DECISION", 10))
                    .append("EXAMPLE (").append(p).append(" → ").append(m).append(")\n");
            for (FieldReport f : g.fields()) {
                String example = f.examples().isEmpty() ? "" : value(f.examples().get(0).primaryValue()) + " → "
                        + value(f.examples().get(0).mirrorValue());
                String decision = f.decision() == null ? (f.noise() ? "noise" : "different")
                        : f.decision().name().toLowerCase(Locale.ROOT);
                sb.append(cell(f.path(), PATH_WIDTH)).append(cell(f.description(), DESCRIPTION_WIDTH))
                        .append(num(count(f.count()) + "/" + count(f.compared()), 14))
                        .append(num(f.samples() == 0 ? "-" : count(f.primaryDiffers()) + "/" + count(f.samples()), 14))
                        .append("  ").append(cell(decision, 10))
                        .append(cut(example.replace('\n', ' '), EXAMPLE_WIDTH)).append('\n');
                if (f.evidence() != null) {
                    sb.append("    ").append(f.evidence()).append('\n');
                }
                if (!f.primaryExamples().isEmpty()) {
                    Example e = f.primaryExamples().get(0);
                    sb.append("    between two ").append(p).append(" answers: ")
                            .append(cut((value(e.primaryValue()) + " → " + value(e.mirrorValue())).replace('\n', ' '),
                                    EXAMPLE_WIDTH * 2)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String p(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.0e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String value(String v) {
        return v == null ? "(absent)" : v;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String reasons(Map<String, Long> m) {
        if (m.isEmpty()) {
            return "";
        }
        return m.entrySet().stream().map(e -> e.getKey() + "=" + count(e.getValue()))
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pct(double rate) {
        return String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }

    private static String pctPlain(double rate) {
        return String.format(Locale.ROOT, "%.1f", rate * 100);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }

    /** Left-aligned cell of exactly {@code width} characters followed by a space. */
    private static String cell(String s, int width) {
        String c = cut(s, width);
        return c + " ".repeat(width - c.length()) + " ";
    }

    /** Right-aligned cell of exactly {@code width} characters. */
    private static String num(String s, int width) {
        String c = cut(s, width);
        return " ".repeat(width - c.length()) + c;
    }

    private static String cut(String s, int width) {
        if (s == null) {
            return "";
        }
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
