/**
 * The comparison report: immutable snapshots and their renderings.
 *
 * <p>Owns {@link io.shadowgate.compare.report.ComparisonReport} and the records it is made of (per
 * route, per group, per field, per side), the verdict rules ({@link io.shadowgate.compare.report.Verdicts}),
 * the JSON rendering for the admin API ({@link io.shadowgate.compare.report.ReportJson}) and the
 * fixed-width text rendering for the CLI ({@link io.shadowgate.compare.report.ReportText}), plus the
 * {@link io.shadowgate.compare.report.DifferenceRecord} lines of {@code exportJsonLines}. Everything
 * here is immutable and thread-safe; snapshots are built by the statistics layer.
 */
package io.shadowgate.compare.report;
