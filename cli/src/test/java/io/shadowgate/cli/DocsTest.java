package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.validate.ConfigValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The documentation cannot drift from the tool: every {@code shadowgate …} command line in README.md and docs/*.md
 * (in code blocks and in inline code) parses with the real picocli parser, every flag written alone in inline code
 * ({@code `--admin HOST:PORT`}) exists on some command, and every {@code yaml} block holding Istio resources loads
 * and validates without errors. Failures name {@code file:line}.
 *
 * <p>Cross-resource findings (a destination host that no ServiceEntry in the same block declares) are not checked: a
 * doc block often shows one resource of a larger configuration. A block that is wrong on purpose starts with the
 * comment {@code # invalid on purpose}.
 */
class DocsTest {

    /** A fenced code block: its language, first content line (1-based) and lines. */
    record Block(Path file, String language, int firstLine, List<String> lines) {
    }

    /** A place in a doc and what was found there. */
    record Found(Path file, int line, String text) {
        String where() {
            return root().relativize(file) + ":" + line;
        }
    }

    private static final Pattern INLINE = Pattern.compile("`([^`]+)`");
    private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*");

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("docs")) && Files.exists(dir.resolve("README.md")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(root().resolve("README.md"));
        try (Stream<Path> s = Files.walk(root().resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        Path examples = root().resolve("examples");
        if (Files.isDirectory(examples)) {
            try (Stream<Path> s = Files.walk(examples)) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.startsWith("```")) {
                continue;
            }
            String language = l.substring(3).strip();
            List<String> body = new ArrayList<>();
            int start = i + 2;
            for (i++; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                body.add(lines.get(i));
            }
            out.add(new Block(file, language, start, body));
        }
        return out;
    }

    /** Every {@code shadowgate …} command: code-block lines (continuations joined) and inline code spans. */
    static List<Found> commands(Path file) throws IOException {
        List<Found> out = new ArrayList<>();
        for (Block b : blocks(file)) {
            if (!Set.of("bash", "sh", "shell", "console", "").contains(b.language())) {
                continue;
            }
            for (int i = 0; i < b.lines().size(); i++) {
                int line = b.firstLine() + i;
                StringBuilder cmd = new StringBuilder(b.lines().get(i));
                while (cmd.toString().stripTrailing().endsWith("\\") && i + 1 < b.lines().size()) {
                    String s = cmd.toString().stripTrailing();
                    cmd.setLength(0);
                    cmd.append(s, 0, s.length() - 1).append(' ').append(b.lines().get(++i));
                }
                shadowgateCommand(cmd.toString()).ifPresent(c -> out.add(new Found(file, line, synopsis(c))));
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock) {
                continue;
            }
            Matcher m = INLINE.matcher(lines.get(i));
            while (m.find()) {
                int line = i + 1;
                shadowgateCommand(m.group(1)).ifPresent(c -> out.add(new Found(file, line, c)));
            }
        }
        return out;
    }

    /** The part of {@code text} that runs shadowgate: from {@code shadowgate} to the first pipe, redirect or comment. */
    static java.util.Optional<String> shadowgateCommand(String text) {
        String t = text.strip();
        if (t.startsWith("$ ")) {
            t = t.substring(2);
        }
        if (!(t.startsWith("./shadowgate ") || t.startsWith("shadowgate ") || t.equals("./shadowgate")
                || t.equals("shadowgate"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(t);
    }

    /**
     * A usage synopsis ({@code explain -f PATH [--seed N] [-H 'k: v']...}) as one command line: the brackets and
     * ellipses of optional and repeatable parts removed, so that every option in it is parsed.
     */
    static String synopsis(String command) {
        if (!command.contains("[-")) {
            return command;
        }
        // A numeric placeholder (--seed N) stands for a number.
        return command.replace("[", "").replace("]", "").replace("...", "").replace("…", "")
                .replaceAll("(?<=\\s)N(?=\\s|$)", "1");
    }

    /** Shell words of {@code command} after the program name, up to a pipe, redirect, {@code &&}, or comment. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                continue;
            }
            if (!inWord && (c == '#' || c == '|' || c == '>' || c == '&' || c == ';' || c == '<')) {
                break;
            }
            w.append(c);
            inWord = true;
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out.subList(1, out.size());
    }

    static Set<String> allOptionNames() {
        Set<String> names = new TreeSet<>();
        collect(new CommandLine(new Main()).getCommandSpec(), names);
        return names;
    }

    private static void collect(CommandSpec spec, Set<String> names) {
        spec.options().forEach(o -> names.addAll(List.of(o.names())));
        spec.options().stream().filter(o -> o.negatable()).forEach(o -> {
            for (String n : o.names()) {
                if (n.startsWith("--")) {
                    names.add("--no-" + n.substring(2));
                }
            }
        });
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), names));
    }

    @Test
    void everyShadowgateCommandInTheDocsParses() throws IOException {
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        for (Path doc : docs()) {
            List<Found> inCode = commandsInCodeBlocks(doc);
            for (Found f : commands(doc)) {
                List<String> args = words(f.text());
                try {
                    new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
                    parsed++;
                } catch (CommandLine.MissingParameterException e) {
                    // Prose names a command (`shadowgate run`) without its arguments; a command line must be whole.
                    if (inCode.contains(f)) {
                        problems.add(f.where() + ": `" + f.text() + "`: " + e.getMessage());
                    }
                } catch (CommandLine.ParameterException e) {
                    problems.add(f.where() + ": `" + f.text() + "`: " + e.getMessage());
                }
            }
        }
        assertThat(problems).as("command lines in the docs that shadowgate does not accept").isEmpty();
        assertThat(parsed).as("commands found (the scan must see the README's)").isGreaterThan(10);
    }

    /** The commands of {@code file} that are in code blocks (whole command lines, not mentions). */
    static List<Found> commandsInCodeBlocks(Path file) throws IOException {
        List<Found> all = commands(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Found> out = new ArrayList<>();
        for (Found f : all) {
            boolean inBlock = false;
            for (int i = 0; i < f.line() - 1 && i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("```")) {
                    inBlock = !inBlock;
                }
            }
            if (inBlock) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void everyFlagNamedInTheDocsExists() throws IOException {
        Set<String> known = allOptionNames();
        List<String> problems = new ArrayList<>();
        for (Path doc : docs()) {
            if (doc.getFileName().toString().equals("performance.md")) {
                // It documents the benchmark harness (benchmarks/run.sh), whose flags its own parser checks.
                continue;
            }
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            boolean inBlock = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("```")) {
                    inBlock = !inBlock;
                    continue;
                }
                if (inBlock) {
                    continue;
                }
                Matcher m = INLINE.matcher(lines.get(i));
                while (m.find()) {
                    String span = m.group(1).strip();
                    // A span that is a flag (with its value): `--admin HOST:PORT`, `--strict`.
                    Matcher flag = FLAG.matcher(span);
                    if (span.startsWith("--") && flag.lookingAt() && !known.contains(flag.group())) {
                        problems.add(root().relativize(doc) + ":" + (i + 1) + ": `" + span + "`: no command has "
                                + flag.group());
                    }
                }
            }
        }
        assertThat(problems).as("flags named in the docs that no shadowgate command has").isEmpty();
    }

    @Test
    void everyIstioYamlBlockInTheDocsValidates() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs()) {
            for (Block b : blocks(doc)) {
                String yaml = String.join("\n", b.lines());
                if (!b.language().equals("yaml") || !yaml.contains("networking.istio.io/")
                        || yaml.strip().startsWith("# invalid on purpose")) {
                    continue;
                }
                checked++;
                // Line numbers of the block's diagnostics become the doc's: pad with the lines before the block.
                String padded = "\n".repeat(b.firstLine() - 1) + yaml;
                String name = root().relativize(doc).toString();
                LoadResult loaded = new ConfigLoader().loadString(name, padded);
                List<Diagnostic> found = new ArrayList<>(loaded.diagnostics());
                List<Resource<?>> resources = loaded.resources();
                found.addAll(ConfigValidator.validate(resources, "cluster.local"));
                for (Diagnostic d : found) {
                    if (d.severity() == Severity.ERROR && !crossResource(d.code())) {
                        problems.add(d.format());
                    }
                }
            }
        }
        assertThat(problems).as("Istio YAML in the docs that does not validate").isEmpty();
        assertThat(checked).as("YAML blocks found (the scan must see the README's)").isGreaterThan(5);
    }

    @Test
    void everyExampleConfigurationIsCleanUnderStrict() throws IOException {
        Path examples = root().resolve("examples");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(examples)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(dirs).as("examples/").isNotEmpty();
        for (Path dir : dirs) {
            LoadResult loaded = new ConfigLoader().load(List.of(dir));
            var result = io.shadowgate.config.validate.ConfigCheck.check(loaded,
                    io.shadowgate.config.compile.CompileOptions.defaults());
            assertThat(result.diagnostics()).as("validate --strict -f %s", root().relativize(dir))
                    .filteredOn(d -> d.severity() != Severity.INFO).isEmpty();
            assertThat(result.snapshot()).isNotNull();
        }
    }

    /** Findings that need the rest of a configuration, which one doc block rarely shows. */
    private static boolean crossResource(String code) {
        return code.startsWith("IST") && !code.equals(DiagnosticCodes.SCHEMA_VALIDATION_ERROR);
    }

    @Test
    void theScannerReadsShellWordsAsTheShellDoes() {
        assertThat(words("./shadowgate explain -f config/ GET http://reviews:8080/ -H 'x-test-version: v2'   # x"))
                .containsExactly("explain", "-f", "config/", "GET", "http://reviews:8080/", "-H", "x-test-version: v2");
        assertThat(words("./shadowgate validate --strict -f config/ -o json > validation.json"))
                .containsExactly("validate", "--strict", "-f", "config/", "-o", "json");
        assertThat(words("shadowgate report | head")).containsExactly("report");
        assertThat(shadowgateCommand("curl -s localhost:15000/ready")).isEmpty();
    }

    @Test
    void anUnknownFlagIsCaughtWithFileAndLine() throws IOException {
        // The check above would report a doc naming a flag that does not exist, as the old observability.md did.
        Path dir = Files.createTempDirectory("docs-test");
        Path doc = dir.resolve("x.md");
        Files.writeString(doc, "text\n```bash\n./shadowgate run -f config/ --metrics-namespaces shop\n```\n");
        try {
            List<Found> found = commands(doc);
            assertThat(found).singleElement().satisfies(f -> assertThat(f.line()).isEqualTo(3));
            CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                    CommandLine.ParameterException.class,
                    () -> new CommandLine(new Main()).parseArgs(words(found.get(0).text()).toArray(String[]::new)));
            assertThat(e.getMessage()).contains("--metrics-namespaces");
        } finally {
            Files.delete(doc);
            Files.delete(dir);
        }
    }
}
