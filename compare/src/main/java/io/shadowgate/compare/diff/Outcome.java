package io.shadowgate.compare.diff;

import java.util.Locale;

/** Result of one exchange, as counted in reports and the {@code shadowgate.compare} metric. */
public enum Outcome {
    /** No differences. */
    IDENTICAL,
    /** At least one difference that is not noise. */
    DIFFERENT,
    /** Differences, but all of them noise. */
    NOISE_ONLY,
    /** Not compared (rate limit, queue full, primary failed, engine closed...). */
    SKIPPED;

    /** Lower-case label used as the metric's {@code result} tag: {@code identical}, {@code noise_only}... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
