package io.shadowgate.admin.spi;

import java.io.IOException;
import java.io.Writer;

/**
 * The comparison engine as {@code /compare} serves it. The CLI adapts the compare module's engine to this.
 * Implementations must be thread-safe.
 */
public interface CompareEndpoint {

    /**
     * The current report: a Jackson tree, a record/map/list Jackson can serialize, or a {@link CharSequence} that
     * already is JSON.
     */
    Object report();

    /** The report as a human-readable table ({@code /compare?format=text}), or {@code null} when not available. */
    default String reportText() {
        return null;
    }

    /** Forgets everything compared so far. */
    void reset();

    /** Writes every kept difference as JSON lines (one object per line). */
    void exportJsonLines(Writer out) throws IOException;
}
