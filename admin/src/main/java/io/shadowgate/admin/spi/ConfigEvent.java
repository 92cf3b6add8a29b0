package io.shadowgate.admin.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the config history.
 *
 * @param version  the snapshot version ({@code sha256:...}); for a rejected config, the version it would have had,
 *                 or {@code null} when it did not get that far
 * @param at       when it happened
 * @param outcome  what happened
 * @param sources  the files it was read from (may be empty)
 * @param messages rejection reasons (one formatted diagnostic each) or notes; empty when applied cleanly
 */
public record ConfigEvent(String version, Instant at, Outcome outcome, List<String> sources, List<String> messages) {

    /** What happened to a config. */
    public enum Outcome {
        /** Validated, compiled and swapped in. */
        APPLIED,
        /** Rejected (errors); the previous config kept serving. */
        REJECTED,
        /** Restored by a rollback. */
        ROLLED_BACK
    }

    public ConfigEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        sources = sources == null ? List.of() : List.copyOf(sources);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
