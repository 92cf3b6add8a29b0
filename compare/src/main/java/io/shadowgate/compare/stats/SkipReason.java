package io.shadowgate.compare.stats;

import java.util.Locale;

/** Why an exchange was not compared. */
public enum SkipReason {
    /** Over the configured comparisons per second. */
    RATE_LIMITED,
    /** The engine's bounded queue was full. */
    QUEUE_FULL,
    /** The primary itself failed: nothing to compare the mirror with. */
    PRIMARY_FAILED,
    /** Offered after {@code close()}, or still queued when the engine closed. */
    CLOSED,
    /** The comparison threw; logged, and counted here instead of being lost silently. */
    INTERNAL_ERROR;

    /** Lower-case label as used in reports: {@code rate_limited}, {@code queue_full}... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
