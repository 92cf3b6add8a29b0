package io.shadowgate.compare.report;

import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.diff.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * One recent exchange that differed, as written by {@code exportJsonLines} (one JSON object per
 * line). Immutable. At most {@link #MAX_ITEMS} differences are kept per record so the ring buffer
 * of recent records stays bounded.
 *
 * @param at             when it was compared
 * @param requestId      {@code x-request-id}, or {@code null}
 * @param route          route key
 * @param method         HTTP method
 * @param path           concrete request path
 * @param pathTemplate   group's path template
 * @param primaryVersion primary's version label
 * @param mirrorVersion  mirror's version label
 * @param primaryStatus  primary's status ({@code 0} if it failed)
 * @param mirrorStatus   mirror's status ({@code 0} if it failed)
 * @param outcome        {@code DIFFERENT} or {@code NOISE_ONLY} at the time of comparison
 * @param differences    the differences, at most {@link #MAX_ITEMS}
 * @param truncated      whether differences were left out
 */
public record DifferenceRecord(Instant at, String requestId, String route, String method, String path,
        String pathTemplate, String primaryVersion, String mirrorVersion, int primaryStatus, int mirrorStatus,
        Outcome outcome, List<Item> differences, boolean truncated) {

    /** Differences kept per record. */
    public static final int MAX_ITEMS = 20;

    public DifferenceRecord {
        differences = List.copyOf(differences);
    }

    /**
     * One difference of a record.
     *
     * @param path         grouping location
     * @param location     concrete location
     * @param kind         kind
     * @param detail       qualifier or {@code null}
     * @param primaryValue primary's value or {@code null}
     * @param mirrorValue  mirror's value or {@code null}
     * @param noise        whether it was noise at the time of comparison
     */
    public record Item(String path, String location, DiffKind kind, String detail, String primaryValue,
            String mirrorValue, boolean noise) {
    }
}
