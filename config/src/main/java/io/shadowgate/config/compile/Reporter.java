package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.Resource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects diagnostics, dropping exact duplicates: the same VirtualService is compiled once per listener it is
 * served on, and its problems must be reported once.
 */
final class Reporter {

    private final Set<Diagnostic> diagnostics = new LinkedHashSet<>();
    private boolean errorsOnly;

    /** While set, only errors are kept (the validation pass, whose listener context is artificial). */
    void errorsOnly(boolean on) {
        this.errorsOnly = on;
    }

    void add(Diagnostic d) {
        if (errorsOnly && d.severity() != Severity.ERROR) {
            return;
        }
        diagnostics.add(d);
    }

    void addAll(List<Diagnostic> ds) {
        ds.forEach(this::add);
    }

    void error(Resource<?> r, String code, String field, String message) {
        add(r.diagnostic(Severity.ERROR, code, field, message));
    }

    void warn(Resource<?> r, String code, String field, String message) {
        add(r.diagnostic(Severity.WARNING, code, field, message));
    }

    void info(Resource<?> r, String code, String field, String message) {
        add(r.diagnostic(Severity.INFO, code, field, message));
    }

    boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    List<Diagnostic> list() {
        return new ArrayList<>(diagnostics);
    }

    /** A scratch list for helpers (such as {@code Durations}) that report into a list. */
    List<Diagnostic> sink() {
        return new ForwardingList();
    }

    /** A list whose {@code add} reports. */
    private final class ForwardingList extends java.util.AbstractList<Diagnostic> {
        @Override
        public boolean add(Diagnostic d) {
            Reporter.this.add(d);
            return true;
        }

        @Override
        public Diagnostic get(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public int size() {
            return 0;
        }
    }
}
