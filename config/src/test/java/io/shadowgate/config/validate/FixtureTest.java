package io.shadowgate.config.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven rule tests: every fixture under {@code src/test/resources/validate/} is a table of cases, one per
 * YAML document or field. A line that must carry a diagnostic ends with a marker comment
 *
 * <pre>{@code
 *     mirrors:            #! error IST0106 spec.http[0].mirrors
 * }</pre>
 *
 * (several separated by {@code ;}). The test checks that every marker is reported with that severity, code, field
 * path, file and line, and that nothing else of severity warning or error is reported: documents without markers
 * are the valid (positive) cases.
 */
class FixtureTest {

    record Expected(Severity severity, String code, String field, int line) {
        @Override
        public String toString() {
            return severity.name().toLowerCase(Locale.ROOT) + " " + code + " " + field + " @" + line;
        }
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(FixtureTest.class.getResource("/validate").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static Path fixture(String name) {
        try {
            return Path.of(FixtureTest.class.getResource("/validate/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Expected> markers(Path file) throws IOException {
        List<Expected> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            int at = lines.get(i).indexOf("#!");
            if (at < 0) {
                continue;
            }
            for (String part : lines.get(i).substring(at + 2).split(";")) {
                String[] f = part.trim().split("\\s+");
                out.add(new Expected(Severity.valueOf(f[0].toUpperCase(Locale.ROOT)), f[1], f[2], i + 1));
            }
        }
        return out;
    }

    static CompileResult check(Path file) {
        LoadResult loaded = new ConfigLoader().load(List.of(file));
        return ConfigCheck.check(loaded, CompileOptions.defaults());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyMarkedProblemAndNothingElse(String name) throws IOException {
        Path file = fixture(name);
        List<Expected> expected = markers(file);
        List<Diagnostic> reported = check(file).diagnostics().stream()
                .filter(d -> d.severity() != Severity.INFO).toList();
        List<Expected> actual = reported.stream()
                .map(d -> new Expected(d.severity(), d.code(), d.field(), d.line())).toList();
        List<String> missing = expected.stream().filter(e -> !actual.contains(e)).map(Expected::toString).toList();
        List<String> unexpected = new ArrayList<>();
        for (Diagnostic d : reported) {
            Expected e = new Expected(d.severity(), d.code(), d.field(), d.line());
            if (!expected.contains(e)) {
                unexpected.add(d.format());
            }
        }
        assertThat(missing).as("expected but not reported; reported:\n%s",
                String.join("\n", reported.stream().map(Diagnostic::format).toList())).isEmpty();
        assertThat(unexpected).as("reported but not expected").isEmpty();
        for (Diagnostic d : reported) {
            assertThat(d.file()).as(d.format()).isEqualTo(file.toString());
            assertThat(d.column()).as(d.format()).isPositive();
            assertThat(d.kind()).as(d.format()).isNotNull();
            assertThat(d.message()).as(d.format()).isNotBlank();
        }
    }
}
