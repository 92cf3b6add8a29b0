package io.shadowgate.compare.diff;

/** What kind of difference was found at a location. */
public enum DiffKind {
    /** Status codes differ; detail is {@code "200→500"}. */
    STATUS_CHANGED,
    /** The mirror never answered; detail is the failure reason ({@code "timeout"}). */
    MIRROR_FAILED,
    /** Same type, different value (JSON scalar or header value). */
    VALUE_CHANGED,
    /** JSON type (or body format) differs; detail is {@code "number→string"}. */
    TYPE_CHANGED,
    /** Present in the mirror's answer only. */
    ADDED,
    /** Present in the primary's answer only. */
    REMOVED,
    /** JSON array has a different number of elements. */
    ARRAY_LENGTH_CHANGED,
    /** JSON array has the same elements in a different order. */
    ARRAY_ORDER_CHANGED,
    /** Text bodies differ; the concrete path names the first differing line and offset. */
    TEXT_CHANGED,
    /** Binary (or undecodable) bodies have different SHA-256 digests. */
    DIGEST_CHANGED,
    /**
     * A generated-looking value (timestamp, UUID, epoch) written in another format, or a timestamp shifted by more than
     * {@link io.shadowgate.compare.noise.ValueShape#MAX_TIMESTAMP_SKEW}; detail such as
     * {@code "ISO-8601 Z→ISO-8601 +02:00"} or {@code "instant shifted"}. Kept apart from {@link #VALUE_CHANGED} so
     * that a format change is judged on its own even where the value itself is noise.
     */
    FORMAT_CHANGED,
    /**
     * An array the primary's version itself returns in varying order (learnt from noise samples), compared as a
     * multiset, has other elements; values are the elements missing in the mirror and the extra ones.
     */
    SET_CHANGED;

    /**
     * A short phrase for verdict lines, such as {@code "type changed number→string"} or
     * {@code "missing in v2"}.
     *
     * @param detail      the difference's detail, may be {@code null}
     * @param mirrorLabel the mirror's version label, e.g. {@code "v2"}
     */
    public String describe(String detail, String mirrorLabel) {
        return switch (this) {
            case STATUS_CHANGED -> "status changed" + suffix(detail);
            case MIRROR_FAILED -> mirrorLabel + " failed" + (detail == null ? "" : ": " + detail);
            case VALUE_CHANGED -> "value changed";
            case TYPE_CHANGED -> "type changed" + suffix(detail);
            case ADDED -> "added in " + mirrorLabel;
            case REMOVED -> "missing in " + mirrorLabel;
            case ARRAY_LENGTH_CHANGED -> "array length changed";
            case ARRAY_ORDER_CHANGED -> "array order changed";
            case TEXT_CHANGED -> "text differs";
            case DIGEST_CHANGED -> "content differs (sha-256)";
            case FORMAT_CHANGED -> "format changed" + suffix(detail);
            case SET_CHANGED -> "elements differ (compared as a set)";
        };
    }

    private static String suffix(String detail) {
        return detail == null ? "" : " " + detail;
    }
}
