package io.shadowgate.compare.report;

/** Machine-readable verdict for a route or group. */
public enum Verdict {
    /** Enough comparisons and the difference rate is at or below the threshold: safe to promote. */
    PASS,
    /** Enough comparisons and the difference rate is above the threshold. */
    FAIL,
    /** Fewer comparisons than the minimum. */
    INSUFFICIENT_DATA
}
