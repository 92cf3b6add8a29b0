package io.shadowgate.cli.gateway;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.validate.ConfigCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns YAML into snapshots and keeps the history: load → validate → compile, then hand the snapshot to
 * {@code apply}. A rejected change leaves the last good snapshot serving and is recorded with all its messages.
 *
 * <p>Watching polls a fingerprint of the {@code -f} paths (names, sizes, modification times, and where symlinks
 * point) every {@code pollInterval}. Polling rather than a WatchService because Kubernetes updates a mounted
 * ConfigMap by swapping a {@code ..data} symlink, which inotify-based watchers report unreliably; a change is
 * applied once the fingerprint has been stable for one more poll (the debounce).
 *
 * <p>Thread-safe: reloads, rollbacks and status reads synchronize on this object.
 */
public final class ConfigLifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigLifecycle.class);
    private static final int HISTORY = 20;

    /** One entry of the history shown by {@code /config}. */
    public record Version(String version, String outcome, Instant at, List<String> sources, List<String> messages,
                          RoutingSnapshot snapshot) {
    }

    /** What a reload or rollback did. */
    public record Outcome(boolean applied, String version, List<Diagnostic> diagnostics, String message) {
    }

    private final List<Path> paths;
    private final String builtInName;
    private final String builtInYaml;
    private final CompileOptions compileOptions;
    private final Consumer<RoutingSnapshot> apply;
    private final Clock clock;
    private final Deque<Version> history = new ArrayDeque<>();
    private RoutingSnapshot current;
    private RoutingSnapshot previousGood;
    private String fingerprint;
    private String pendingFingerprint;
    private boolean rolledBack;
    private long rejections;
    private ScheduledExecutorService watcher;
    private final List<Consumer<Outcome>> listeners = new ArrayList<>();

    /** Files and directories of YAML. */
    public static ConfigLifecycle forPaths(List<Path> paths, CompileOptions options, Consumer<RoutingSnapshot> apply) {
        return new ConfigLifecycle(paths, null, null, options, apply, Clock.systemUTC());
    }

    /** A built-in configuration (the demo): never watched. */
    public static ConfigLifecycle forString(String name, String yaml, CompileOptions options,
                                           Consumer<RoutingSnapshot> apply) {
        return new ConfigLifecycle(List.of(), name, yaml, options, apply, Clock.systemUTC());
    }

    private ConfigLifecycle(List<Path> paths, String builtInName, String builtInYaml, CompileOptions options,
                            Consumer<RoutingSnapshot> apply, Clock clock) {
        this.paths = List.copyOf(paths);
        this.builtInName = builtInName;
        this.builtInYaml = builtInYaml;
        this.compileOptions = options;
        this.apply = apply;
        this.clock = clock;
    }

    /** Loads, validates and compiles without applying: for start-up, where any error must stop {@code run}. */
    public synchronized CompileResult compileOnly() {
        // The same check as `shadowgate validate`: loader, istiod's validation and istioctl's analysis, compiler.
        return ConfigCheck.check(load(), compileOptions);
    }

    /** Records {@code snapshot} as the first applied version (start-up applies it by starting the proxy). */
    public synchronized void initial(RoutingSnapshot snapshot) {
        current = snapshot;
        fingerprint = fingerprint();
        record(snapshot.version(), "applied", snapshot.sources(), List.of(), snapshot);
        log.info("config {} applied from {}", snapshot.version(), snapshot.sources());
    }

    /** Reloads from the sources now: applies on success, keeps the current config on any error. */
    public synchronized Outcome reload() {
        fingerprint = fingerprint();
        CompileResult result = compileOnly();
        List<Diagnostic> errors = result.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR).toList();
        if (result.snapshot() == null || !errors.isEmpty()) {
            rejections++;
            List<String> messages = result.diagnostics().stream().map(Diagnostic::format).toList();
            for (String m : messages) {
                log.error("config rejected: {}", m);
            }
            log.error("config change rejected ({} problem(s)); still serving {}", errors.size(),
                    current == null ? "nothing" : current.version());
            record(null, "rejected", sourceNames(), messages, null);
            return notify(new Outcome(false, current == null ? null : current.version(), result.diagnostics(),
                    "rejected: " + errors.size() + " error(s); still serving "
                            + (current == null ? "nothing" : current.version())));
        }
        RoutingSnapshot next = result.snapshot();
        result.diagnostics().stream().filter(d -> d.severity() == Severity.WARNING)
                .forEach(d -> log.warn("config warning: {}", d.format()));
        if (current != null && next.version().equals(current.version()) && !rolledBack) {
            return notify(new Outcome(false, current.version(), result.diagnostics(), "unchanged"));
        }
        switchTo(next, "applied");
        rolledBack = false;
        return notify(new Outcome(true, next.version(), result.diagnostics(), "applied " + next.version()));
    }

    /**
     * Goes back to the previous good version at once. It stays until the files change again (the next change is
     * loaded from the files as usual).
     */
    public synchronized Outcome rollback() {
        if (previousGood == null) {
            return new Outcome(false, current == null ? null : current.version(), List.of(),
                    "nothing to roll back to: only one version was ever applied");
        }
        RoutingSnapshot target = previousGood;
        String from = current.version();
        switchTo(target, "rolled back");
        rolledBack = true;
        log.warn("rolled back from {} to {}; it stays until the config files change", from, target.version());
        return notify(new Outcome(true, target.version(), List.of(),
                "rolled back from " + from + " to " + target.version() + "; it stays until the config files change"));
    }

    private void switchTo(RoutingSnapshot next, String outcome) {
        RoutingSnapshot before = current;
        apply.accept(next);
        previousGood = before;
        current = next;
        record(next.version(), outcome, next.sources(), List.of(), next);
        log.info("config switched: {} -> {} ({})", before == null ? "none" : before.version(), next.version(),
                outcome);
    }

    private void record(String version, String outcome, List<String> sources, List<String> messages,
                        RoutingSnapshot snapshot) {
        history.addFirst(new Version(version, outcome, clock.instant(), sources, messages, snapshot));
        while (history.size() > HISTORY) {
            history.removeLast();
        }
    }

    private Outcome notify(Outcome o) {
        for (Consumer<Outcome> l : listeners) {
            l.accept(o);
        }
        return o;
    }

    /** Called after every reload or rollback attempt. */
    public synchronized void onOutcome(Consumer<Outcome> listener) {
        listeners.add(listener);
    }

    /** The snapshot serving now. */
    public synchronized RoutingSnapshot current() {
        return current;
    }

    /** Newest first. */
    public synchronized List<Version> history() {
        return List.copyOf(history);
    }

    /** How many changes were rejected. */
    public synchronized long rejections() {
        return rejections;
    }

    /** Whether the current version came from a rollback. */
    public synchronized boolean rolledBack() {
        return rolledBack;
    }

    /** Starts watching the paths (no-op for a built-in config). */
    public synchronized void watch(Duration pollInterval) {
        if (paths.isEmpty() || watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shadowgate-config-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            String now = fingerprint();
            synchronized (this) {
                if (now.equals(fingerprint)) {
                    pendingFingerprint = null;
                    return;
                }
                if (!now.equals(pendingFingerprint)) {
                    // Changed since the last poll: wait one more poll for the writer to finish (debounce).
                    pendingFingerprint = now;
                    return;
                }
                pendingFingerprint = null;
                log.info("config files changed: reloading");
                reload();
            }
        } catch (RuntimeException e) {
            log.error("config watch failed: {}", e.toString());
        }
    }

    private LoadResult load() {
        ConfigLoader loader = new ConfigLoader();
        return builtInYaml != null ? loader.loadString(builtInName, builtInYaml) : loader.load(paths);
    }

    private List<String> sourceNames() {
        return builtInName != null ? List.of(builtInName) : paths.stream().map(Path::toString).toList();
    }

    /** Names, sizes, mtimes, content hashes and symlink targets of everything under the paths. */
    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        for (Path p : paths) {
            appendFingerprint(p, sb);
        }
        return sb.toString();
    }

    private static void appendFingerprint(Path p, StringBuilder sb) {
        try {
            if (Files.isSymbolicLink(p)) {
                sb.append(p).append("->").append(Files.readSymbolicLink(p)).append('\n');
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    for (Path child : s.sorted().toList()) {
                        appendFingerprint(child, sb);
                    }
                }
            } else if (Files.exists(p)) {
                // Content, not only mtime: an editor can rewrite a file within the clock's resolution.
                sb.append(p).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append(' ')
                        .append(java.util.Arrays.hashCode(Files.readAllBytes(p))).append('\n');
            } else {
                sb.append(p).append(" missing\n");
            }
        } catch (IOException e) {
            sb.append(p).append(" unreadable\n");
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }
}
