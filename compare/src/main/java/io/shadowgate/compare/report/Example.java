package io.shadowgate.compare.report;

/**
 * One occurrence of a differing field. Immutable.
 *
 * @param requestId    the exchange's {@code x-request-id} ({@code null} if it had none)
 * @param location     concrete location, e.g. {@code $.items[3].id} or {@code body:line 4, offset 80}
 * @param primaryValue the primary's value, cut to the value bound; {@code null} when absent
 * @param mirrorValue  the mirror's value, cut to the value bound; {@code null} when absent
 */
public record Example(String requestId, String location, String primaryValue, String mirrorValue) {
}
