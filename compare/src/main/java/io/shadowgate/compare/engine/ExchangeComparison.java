package io.shadowgate.compare.engine;

import io.shadowgate.compare.diff.Difference;
import io.shadowgate.compare.diff.Finding;
import io.shadowgate.compare.diff.Outcome;
import io.shadowgate.compare.group.GroupKey;
import io.shadowgate.compare.stats.SkipReason;
import java.util.List;

/**
 * Result of comparing one exchange synchronously. Immutable.
 *
 * @param group                the group it belongs to (or would be counted in)
 * @param requestId            the exchange's {@code x-request-id}
 * @param outcome              identical, different, noise-only, or skipped
 * @param findings             differences with their noise status
 * @param differencesTruncated whether more differences existed than the per-exchange bound
 * @param bodySkipped          why the body was not compared ({@code oversized}), or {@code null}
 * @param skipReason           why the exchange was not compared, or {@code null}
 */
public record ExchangeComparison(GroupKey group, String requestId, Outcome outcome, List<Finding> findings,
        boolean differencesTruncated, String bodySkipped, SkipReason skipReason) {

    public ExchangeComparison {
        findings = List.copyOf(findings);
    }

    /** The differences that are not noise. */
    public List<Difference> realDifferences() {
        return findings.stream().filter(f -> !f.noise()).map(Finding::difference).toList();
    }

    /** A human-readable explanation, one line per difference, for the {@code explain} command. */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append(group).append(" request ").append(requestId == null ? "-" : requestId).append(": ")
                .append(outcome.label());
        if (skipReason != null) {
            sb.append(" (").append(skipReason.label()).append(')');
        }
        if (bodySkipped != null) {
            sb.append(" (body not compared: ").append(bodySkipped).append(')');
        }
        sb.append('\n');
        for (Finding f : findings) {
            Difference d = f.difference();
            sb.append("  ").append(d.concretePath()).append("  ").append(d.kind())
                    .append(d.detail() == null ? "" : " " + d.detail())
                    .append("  primary=").append(d.primaryValue() == null ? "(absent)" : d.primaryValue())
                    .append("  mirror=").append(d.mirrorValue() == null ? "(absent)" : d.mirrorValue());
            if (f.noise()) {
                sb.append("  [noise; ").append(f.noiseReason()).append(']');
            }
            sb.append('\n');
        }
        if (differencesTruncated) {
            sb.append("  (more differences not shown)\n");
        }
        return sb.toString();
    }
}
