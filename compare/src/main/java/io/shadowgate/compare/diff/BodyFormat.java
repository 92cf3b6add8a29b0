package io.shadowgate.compare.diff;

import java.util.Locale;

/** How a body is compared. */
public enum BodyFormat {
    /** No body. */
    EMPTY,
    /** JSON object or array, compared structurally. */
    JSON,
    /** Text, compared by content (first differing line). */
    TEXT,
    /** Anything else, compared by SHA-256 digest. */
    BINARY;

    /** Lower-case name used in type-change details such as {@code json→text}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
