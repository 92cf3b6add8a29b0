package io.shadowgate.config.validate;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the validator's diagnostics, dropping exact duplicates. Not thread-safe: one per validation. */
final class Sink {

    private final Set<Diagnostic> diagnostics = new LinkedHashSet<>();

    void add(Diagnostic d) {
        diagnostics.add(d);
    }

    /** An Istio validation error (rejects the configuration, as istiod's webhook does). */
    void error(Resource<?> r, String field, String message) {
        add(at(r, Severity.ERROR, DiagnosticCodes.SCHEMA_VALIDATION_ERROR, field, message));
    }

    /** An Istio validation warning (accepted, as istiod does). */
    void warn(Resource<?> r, String field, String message) {
        add(at(r, Severity.WARNING, DiagnosticCodes.SCHEMA_WARNING, field, message));
    }

    void error(Resource<?> r, String code, String field, String message) {
        add(at(r, Severity.ERROR, code, field, message));
    }

    /**
     * A finding of {@code code} at the level the code has ({@link DiagnosticCodes#severity}): the analysis codes
     * carry the level {@code istioctl analyze} gives them, so a finding Istio rates Error rejects here too.
     */
    void report(Resource<?> r, String code, String field, String message) {
        add(at(r, DiagnosticCodes.severity(code), code, field, message));
    }

    /**
     * A diagnostic located where the user looks for {@code field}: at its value when the value starts on the key's
     * line ({@code weight: -1}, {@code mirror: {host: x}}), else at the key ({@code mirrors:} followed by a block
     * list), so that the line shown is the line that names the field.
     */
    static Diagnostic at(Resource<?> r, Severity severity, String code, String field, String message) {
        Diagnostic d = r.diagnostic(severity, code, field, message);
        if (field == null) {
            return d;
        }
        SourceLocation value = r.locations().at(field);
        SourceLocation key = r.locations().keyAt(field);
        if (key.line() > 0 && key.line() < value.line()) {
            return new Diagnostic(severity, code, message, d.file(), key.line(), key.column(), d.kind(),
                    d.namespace(), d.name(), field);
        }
        return d;
    }

    /** Reports {@code problem} as an error at {@code field} when it is not {@code null}. */
    void errorIf(Resource<?> r, String field, String problem) {
        if (problem != null) {
            error(r, field, problem);
        }
    }

    List<Diagnostic> list() {
        return new ArrayList<>(diagnostics);
    }
}
