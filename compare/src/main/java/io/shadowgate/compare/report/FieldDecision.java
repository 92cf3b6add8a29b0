package io.shadowgate.compare.report;

/** What the evidence says about one differing field. */
public enum FieldDecision {
    /** v2 differs from v1 significantly more often than two v1 answers differ, by at least the minimum effect. */
    DIFFERENT,
    /** v1 differs from itself here about as often as from v2 (or, without samples, the shape rules say noise). */
    NOISE,
    /** Not enough evidence either way yet. */
    UNDECIDED
}
