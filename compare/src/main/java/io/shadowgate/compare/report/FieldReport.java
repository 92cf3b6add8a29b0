package io.shadowgate.compare.report;

import io.shadowgate.compare.diff.DiffKind;
import java.util.List;

/**
 * One differing field of a group (or route), with how often it differed. Immutable.
 *
 * @param path        grouping location, e.g. {@code $.items[*].price}, {@code header:x-foo}, {@code status}
 * @param kind        kind of difference; {@code null} for the {@code (other fields)} overflow entry
 * @param detail      qualifier such as {@code number→string}, or {@code null}
 * @param description human phrase such as {@code type changed number→string} or {@code missing in v2}
 * @param count       number of exchanges in which it differed this way
 * @param noise       whether it is noise and excluded from the verdict
 * @param noiseReason why it is noise, or {@code null}
 * @param examples    up to the per-field bound of example occurrences
 */
public record FieldReport(String path, DiffKind kind, String detail, String description, long count, boolean noise,
        String noiseReason, List<Example> examples) {

    public FieldReport {
        examples = List.copyOf(examples);
    }
}
