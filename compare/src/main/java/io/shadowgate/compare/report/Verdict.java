package io.shadowgate.compare.report;

/** Machine-readable verdict for a route or group. */
public enum Verdict {
    /** Enough data (requests, time, samples, latencies) and nothing undecided or worse: safe to promote. */
    PASS,
    /** Strong evidence of a real difference, more errors or higher latency; stays until reset. */
    FAIL,
    /** Not enough data yet for PASS, and no strong evidence for FAIL. */
    INSUFFICIENT_DATA
}
