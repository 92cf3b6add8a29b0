package io.shadowgate.compare.diff;

import java.util.List;
import java.util.Set;

/**
 * The raw result of comparing one exchange, before noise classification. Immutable.
 *
 * @param differences           differences found, at most the per-exchange bound
 * @param differencesTruncated  whether more differences existed than were collected
 * @param bodySkipped           why the body was not compared ({@code "oversized"}), or {@code null}
 * @param skipReason            why the whole exchange was not compared ({@code "primary_failed"}),
 *                              or {@code null} when it was compared
 * @param observed              of the locations the differ was asked to watch, those present on both
 *                              sides (equal or not); noise evidence counts them as observations
 */
public record ExchangeDiff(List<Difference> differences, boolean differencesTruncated, String bodySkipped,
        String skipReason, Set<String> observed) {

    /** Body skip reason when either body is over the capture or decode bound. */
    public static final String OVERSIZED = "oversized";
    /** Exchange skip reason when the primary itself failed: there is nothing to compare against. */
    public static final String PRIMARY_FAILED = "primary_failed";

    public ExchangeDiff {
        differences = List.copyOf(differences);
        observed = observed == null ? Set.of() : Set.copyOf(observed);
    }

    /** A diff without observation bookkeeping. */
    public ExchangeDiff(List<Difference> differences, boolean differencesTruncated, String bodySkipped,
            String skipReason) {
        this(differences, differencesTruncated, bodySkipped, skipReason, Set.of());
    }

    /** An exchange that was not compared. */
    public static ExchangeDiff skipped(String reason) {
        return new ExchangeDiff(List.of(), false, null, reason, Set.of());
    }

    /** Whether the exchange was compared at all. */
    public boolean compared() {
        return skipReason == null;
    }
}
