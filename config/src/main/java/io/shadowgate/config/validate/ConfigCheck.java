package io.shadowgate.config.validate;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.compile.SnapshotCompiler;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.model.ResourceSet;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole check of a configuration, shared by {@code shadowgate validate}, {@code explain} and {@code run} (at
 * start-up and on every reload): the loader's findings (syntax, unknown fields with the nearest known name, types,
 * required fields), {@link ConfigValidator} (istiod's validation and istioctl's analysis), and the compiler's own
 * findings (what Shadowgate does not support, what Istio accepts but ignores), merged into one list.
 *
 * <pre>{@code
 * LoadResult loaded = new ConfigLoader().load(paths);
 * CompileResult result = ConfigCheck.check(loaded, CompileOptions.defaults());
 * if (result.snapshot() == null) { ... every error is in result.errors() ... }
 * }</pre>
 *
 * <p>A problem found by both the validator and the compiler (the compiler re-checks what it translates) is reported
 * once: at one field of one resource the most severe finding wins, and at equal severity the validator's.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /**
     * Validates and compiles {@code loaded}. The snapshot is {@code null} when any diagnostic is an error; otherwise
     * it carries every warning and info. Diagnostics are errors first, then warnings, then infos, each in the order
     * found.
     */
    public static CompileResult check(LoadResult loaded, CompileOptions options) {
        ResourceSet set = ResourceSet.of(loaded.resources()); // indexed once, read by the validator and the compiler
        List<Diagnostic> validation = ConfigValidator.validate(set, options.domainSuffix());
        CompileResult compiled;
        try {
            compiled = SnapshotCompiler.compile(loaded, set, options);
        } catch (RuntimeException e) {
            // The compiler expects what validation rejects to be rejected; with validation errors, its own failure
            // is a consequence and the validation errors say what to fix.
            if (validation.stream().noneMatch(d -> d.severity() == Severity.ERROR)) {
                throw e;
            }
            compiled = new CompileResult(null, loaded.diagnostics());
        }
        List<Diagnostic> merged = merge(validation, compiled.diagnostics().stream().map(ConfigCheck::rated).toList());
        merged.sort(Comparator.comparingInt(d -> d.severity().ordinal()));
        boolean errors = merged.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        RoutingSnapshot s = compiled.snapshot();
        if (errors || s == null) {
            return new CompileResult(null, merged);
        }
        RoutingSnapshot withWarnings = new RoutingSnapshot(s.version(), s.compiledAt(), s.sources(), s.listeners(),
                s.clusters(), merged);
        return new CompileResult(withWarnings, merged);
    }

    /**
     * {@code d} at the level its {@code istioctl analyze} code has, when that is stricter. The compiler reports what
     * it translates as Envoy would serve it (a missing subset is a warning and 503 NC); the check rates every IST
     * finding as istioctl does, whichever layer found it.
     */
    static Diagnostic rated(Diagnostic d) {
        if (d.code() == null || !d.code().startsWith("IST")) {
            return d;
        }
        Severity level = DiagnosticCodes.severity(d.code());
        if (level.ordinal() >= d.severity().ordinal()) {
            return d;
        }
        return new Diagnostic(level, d.code(), d.message(), d.file(), d.line(), d.column(), d.kind(), d.namespace(),
                d.name(), d.field());
    }

    /**
     * The validator's diagnostics, then the others not already covered by one of the validator's. At one field of
     * one resource the most severe finding wins, and at equal severity the validator's: a compiler warning about a
     * field the validator rejects is a consequence, not news.
     */
    static List<Diagnostic> merge(List<Diagnostic> validator, List<Diagnostic> others) {
        Map<String, Severity> strongestValidator = strongest(validator);
        Map<String, Severity> strongestOther = strongest(others);
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : validator) {
            String key = key(d);
            Severity other = key == null ? null : strongestOther.get(key);
            // Dropped only when the loader or compiler found something more severe there than the validator did.
            if (other == null || other.ordinal() >= strongestValidator.get(key).ordinal()) {
                out.add(d);
            }
        }
        for (Diagnostic d : others) {
            String key = key(d);
            Severity covered = key == null ? null : strongestValidator.get(key);
            if (covered != null && covered.ordinal() <= d.severity().ordinal()) {
                continue;
            }
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private static Map<String, Severity> strongest(List<Diagnostic> ds) {
        Map<String, Severity> out = new HashMap<>();
        for (Diagnostic d : ds) {
            String key = key(d);
            if (key != null) {
                out.merge(key, d.severity(), (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
            }
        }
        return out;
    }

    private static String key(Diagnostic d) {
        if (d.kind() == null || d.field() == null) {
            return null;
        }
        return d.kind() + "|" + d.namespace() + "|" + d.name() + "|" + d.field();
    }

    /**
     * {@code diagnostics} in reading order: by file (in the order of {@code sources}, others after), then line and
     * column; diagnostics without a file first.
     */
    public static List<Diagnostic> inSourceOrder(List<Diagnostic> diagnostics, List<String> sources) {
        List<Diagnostic> out = new ArrayList<>(diagnostics);
        out.sort(Comparator.<Diagnostic>comparingInt(d -> fileRank(d.file(), sources))
                .thenComparing(d -> Objects.requireNonNullElse(d.file(), ""))
                .thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        return out;
    }

    private static int fileRank(String file, List<String> sources) {
        if (file == null) {
            return -1;
        }
        int i = sources.indexOf(file);
        return i < 0 ? sources.size() : i;
    }
}
