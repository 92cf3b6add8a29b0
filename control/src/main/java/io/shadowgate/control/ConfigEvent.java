package io.shadowgate.control;

import io.shadowgate.config.diagnostics.Diagnostic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the history: a change from a source, a start-up or a rollback, and what came of it.
 *
 * @param outcome     what happened
 * @param at          when (the controller's clock)
 * @param trigger     what caused it: a source's name ({@code files}, {@code built-in}, {@code kubernetes}),
 *                    {@code start-up} or {@code rollback}
 * @param number      the number of the version serving afterwards, or {@code null} when none is
 * @param version     that version's content hash, or {@code null}
 * @param fromNumber  the number serving before, or {@code null}
 * @param sources     where the candidate configuration was read from
 * @param changes     resources added, removed and modified against the version serving before (empty for a
 *                    rejection)
 * @param diagnostics the check's findings, errors first (a rejection's reasons; an applied version's warnings)
 * @param notes       sentences for the operator (why nothing changed, which source kept its last good content, ...)
 */
public record ConfigEvent(ConfigOutcome outcome, Instant at, String trigger, Integer number, String version,
                          Integer fromNumber, List<String> sources, List<ResourceChange> changes,
                          List<Diagnostic> diagnostics, List<String> notes) {

    public ConfigEvent {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(trigger, "trigger");
        sources = List.copyOf(sources);
        changes = List.copyOf(changes);
        diagnostics = List.copyOf(diagnostics);
        notes = List.copyOf(notes);
    }

    /** The notes, then every diagnostic formatted ({@code file:line:column: error IST0101 ...}). */
    public List<String> messages() {
        List<String> out = new ArrayList<>(notes);
        for (Diagnostic d : diagnostics) {
            out.add(d.format());
        }
        return out;
    }

    /** Whether this event put a configuration into service (applied, applied with errors, rolled back). */
    public boolean published() {
        return outcome == ConfigOutcome.APPLIED || outcome == ConfigOutcome.APPLIED_WITH_ERRORS
                || outcome == ConfigOutcome.ROLLED_BACK;
    }
}
