package io.shadowgate.config.load;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.Resource;
import java.util.List;

/**
 * What {@link ConfigLoader} read.
 *
 * @param resources   the supported resources, in file order then document order; documents whose spec could not
 *                    be bound (wrong types) are left out, documents missing required fields are kept (their errors
 *                    are in {@code diagnostics})
 * @param diagnostics every problem found, in the order found
 * @param sources     the files read (or the source name of a string), in order
 */
public record LoadResult(List<Resource<?>> resources, List<Diagnostic> diagnostics, List<String> sources) {

    public LoadResult {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
        sources = List.copyOf(sources);
    }

    /** Whether any diagnostic is an {@link Severity#ERROR}: the configuration must be rejected. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** The errors only. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }
}
