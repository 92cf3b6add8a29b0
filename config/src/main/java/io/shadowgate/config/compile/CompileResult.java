package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.List;

/**
 * The outcome of a compilation.
 *
 * @param snapshot    the snapshot, or {@code null} when any diagnostic is an error (keep serving the last good one)
 * @param diagnostics every problem, errors first in the order found, then warnings and infos
 */
public record CompileResult(RoutingSnapshot snapshot, List<Diagnostic> diagnostics) {

    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether the configuration was rejected. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** The errors only. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }
}
