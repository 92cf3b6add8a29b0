/**
 * The verdict's statistics: which differing fields are real (v2 against v1's own variation, Fisher tests with a
 * Benjamini–Hochberg correction and a minimum effect), whether v2 fails more often (exact McNemar, Wilson intervals)
 * or is slower (Mann–Whitney on histograms plus a p95 tail check), and the sticky route and group verdict built from
 * them ({@link io.shadowgate.compare.verdict.VerdictState}). Pure functions over counts plus one small synchronized
 * state object per group and route; no threads, no clocks of its own (callers pass the time).
 */
package io.shadowgate.compare.verdict;
