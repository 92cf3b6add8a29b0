package io.shadowgate.compare.diff;

import java.util.Objects;

/**
 * One difference between the primary's and the mirror's answer. Immutable.
 *
 * <p>Locations are {@code status}, {@code failure}, {@code header:<name>}, {@code body} (whole-body
 * text, digest or format differences) or a JSONPath-like path starting with {@code $}.
 * {@code path} is the grouping form with array indexes (and id-like object keys) collapsed to
 * {@code [*]} ({@code $.items[*].id}); {@code concretePath} is where it was seen
 * ({@code $.items[3].id}, or {@code body:line 12, offset 345}).
 *
 * @param path         grouping location
 * @param concretePath concrete location of this occurrence
 * @param kind         kind of difference
 * @param detail       stable qualifier that is part of the grouping key ({@code "number→string"},
 *                     {@code "200→500"}, failure reason) or {@code null}
 * @param primaryValue the primary's value, already cut to the value length bound; {@code null} when absent
 * @param mirrorValue  the mirror's value, already cut; {@code null} when absent
 */
public record Difference(String path, String concretePath, DiffKind kind, String detail, String primaryValue,
        String mirrorValue) {

    public Difference {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(concretePath, "concretePath");
        Objects.requireNonNull(kind, "kind");
    }

    /** The key under which occurrences are counted together: path, kind and detail. */
    public String fieldKey() {
        return detail == null ? path + " " + kind : path + " " + kind + " " + detail;
    }
}
