package io.shadowgate.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.validate.ConfigCheck;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shadowgate validate -f PATH...}: checks Istio YAML as istiod's validation webhook and {@code istioctl
 * analyze} would, without starting anything. {@code run} applies the same check at start-up and on every reload.
 *
 * <p>Exit codes: 0 no errors (warnings allowed unless {@code --strict}); 1 errors, YAML syntax errors included (or
 * warnings with {@code --strict}); 2 a path that does not exist or cannot be read. See {@code docs/validation.md}.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate Istio YAML as istiod and istioctl analyze do, without starting anything: every "
                + "problem with file:line:column, severity, code, resource, field path and what to change.",
                "Exit codes: 0 valid, 1 errors (or warnings with --strict), 2 unreadable input."})
public final class ValidateCommand implements Callable<Integer> {

    /** Exit code: valid. */
    public static final int OK = 0;
    /** Exit code: the configuration has errors (or warnings, with {@code --strict}). */
    public static final int INVALID = 1;
    /** Exit code: a path does not exist or cannot be read. */
    public static final int UNREADABLE = 2;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a directory of .yaml/.yml files; repeatable, like kubectl.")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--strict", description = "Fail (exit 1) on warnings too.")
    boolean strict;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = "json".equalsIgnoreCase(output);
        if (!json && !"text".equalsIgnoreCase(output)) {
            err.println("shadowgate validate: -o " + output + " (expected: text or json)");
            return UNREADABLE;
        }
        String unreadable = unreadable(paths);
        if (unreadable != null) {
            if (json) {
                out.println(toJson(Map.of("valid", false, "error", unreadable)));
            } else {
                err.println("shadowgate validate: " + unreadable);
            }
            return UNREADABLE;
        }
        LoadResult loaded = new ConfigLoader().load(paths);
        CompileResult result = ConfigCheck.check(loaded, CompileOptions.defaults().withSourceNames(loaded.sources()));
        List<Diagnostic> diagnostics = ConfigCheck.inSourceOrder(result.diagnostics(), loaded.sources());
        boolean readFailed = diagnostics.stream().anyMatch(d -> d.code().equals(DiagnosticCodes.READ_FAILED));
        long errors = count(diagnostics, Severity.ERROR);
        long warnings = count(diagnostics, Severity.WARNING);
        long infos = count(diagnostics, Severity.INFO);
        boolean valid = errors == 0 && !(strict && warnings > 0);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("valid", valid && !readFailed);
            doc.put("strict", strict);
            doc.put("errors", errors);
            doc.put("warnings", warnings);
            doc.put("infos", infos);
            doc.put("files", loaded.sources());
            doc.put("resources", loaded.resources().size());
            doc.put("diagnostics", diagnostics.stream().map(ValidateCommand::json).toList());
            out.println(toJson(doc));
        } else {
            for (Diagnostic d : diagnostics) {
                out.println(d.format());
            }
            out.println(summary(errors, warnings, infos, loaded) + (valid ? "" : strict && errors == 0
                    ? " (--strict: warnings fail)" : ""));
        }
        out.flush();
        if (readFailed) {
            return UNREADABLE;
        }
        return valid ? OK : INVALID;
    }

    /** What cannot be read among {@code paths}, or {@code null}. */
    static String unreadable(List<Path> paths) {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                return p + ": no such file or directory";
            }
            if (!Files.isReadable(p)) {
                return p + ": permission denied";
            }
        }
        return null;
    }

    private static long count(List<Diagnostic> ds, Severity s) {
        return ds.stream().filter(d -> d.severity() == s).count();
    }

    private static String summary(long errors, long warnings, long infos, LoadResult loaded) {
        String in = loaded.resources().size() + " resource" + (loaded.resources().size() == 1 ? "" : "s") + " in "
                + loaded.sources().size() + " file" + (loaded.sources().size() == 1 ? "" : "s");
        if (errors + warnings + infos == 0) {
            return "No validation issues found: " + in + ".";
        }
        List<String> parts = new ArrayList<>();
        parts.add(errors + " error" + (errors == 1 ? "" : "s"));
        parts.add(warnings + " warning" + (warnings == 1 ? "" : "s"));
        if (infos > 0) {
            parts.add(infos + " info");
        }
        return String.join(", ", parts) + " (" + in + ")" + (errors > 0 ? "; the configuration is rejected."
                : "; the configuration is accepted.");
    }

    /** One diagnostic as a JSON object; every key is always present ({@code null} when unknown). */
    static Map<String, Object> json(Diagnostic d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", d.file());
        m.put("line", d.line());
        m.put("column", d.column());
        m.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
        m.put("code", d.code());
        m.put("kind", d.kind());
        m.put("namespace", d.kind() == null ? null : d.namespace());
        m.put("name", d.name());
        m.put("field", d.field());
        m.put("message", d.message());
        return m;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
