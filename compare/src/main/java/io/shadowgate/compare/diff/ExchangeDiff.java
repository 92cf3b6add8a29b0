package io.shadowgate.compare.diff;

import java.util.List;

/**
 * The raw result of comparing one exchange, before noise classification. Immutable.
 *
 * @param differences           differences found, at most the per-exchange bound
 * @param differencesTruncated  whether more differences existed than were collected
 * @param bodySkipped           why the body was not compared ({@code "oversized"}), or {@code null}
 * @param skipReason            why the whole exchange was not compared ({@code "primary_failed"}),
 *                              or {@code null} when it was compared
 */
public record ExchangeDiff(List<Difference> differences, boolean differencesTruncated, String bodySkipped,
        String skipReason) {

    /** Body skip reason when either body is over the capture or decode bound. */
    public static final String OVERSIZED = "oversized";
    /** Exchange skip reason when the primary itself failed: there is nothing to compare against. */
    public static final String PRIMARY_FAILED = "primary_failed";

    public ExchangeDiff {
        differences = List.copyOf(differences);
    }

    /** An exchange that was not compared. */
    public static ExchangeDiff skipped(String reason) {
        return new ExchangeDiff(List.of(), false, null, reason);
    }

    /** Whether the exchange was compared at all. */
    public boolean compared() {
        return skipReason == null;
    }
}
