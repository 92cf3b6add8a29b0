/**
 * Comparing one primary answer with one mirror answer.
 *
 * <p>Owns {@link io.shadowgate.compare.diff.ExchangeDiffer} (status, headers, decoded bodies: JSON
 * structurally, text by first differing line, anything else by SHA-256 digest), the resulting
 * {@link io.shadowgate.compare.diff.Difference} values and their
 * {@link io.shadowgate.compare.diff.DiffKind}, and the classification types
 * {@link io.shadowgate.compare.diff.Finding} and {@link io.shadowgate.compare.diff.Outcome}.
 * Comparison is pure: no shared state, so any number of threads may compare at once; all work is
 * bounded by the settings (decoded body size, differences per exchange, value length).
 */
package io.shadowgate.compare.diff;
