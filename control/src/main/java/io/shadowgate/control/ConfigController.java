package io.shadowgate.control;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.compile.SnapshotCompiler;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.source.ConfigSource;
import io.shadowgate.config.source.SourceContent;
import io.shadowgate.config.validate.ConfigCheck;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: merges the latest content of every {@link ConfigSource}, checks it, compiles it and publishes
 * one {@link RoutingSnapshot} to its subscribers; keeps the numbered versions and the history; rolls back.
 *
 * <pre>{@code
 * ConfigController controller = ConfigController.builder()
 *         .source(new FileConfigSource(paths, FileConfigSource.DEFAULT_POLL_INTERVAL))
 *         .compileOptions(options)
 *         .build();
 * ConfigEvent first = controller.start();          // reads every source once; REJECTED: nothing serves
 * ProxyServer proxy = ProxyServer.start(controller.current(), ...);
 * controller.subscribe(proxy::apply);             // every later publication
 * controller.watch();                             // sources push changes from now on
 * }</pre>
 *
 * <p>What a change from a source gets:
 * <ol>
 *   <li>Content whose hash equals the source's last content is ignored: a {@code touch} or a save without changes
 *       never reloads (and never undoes a rollback).</li>
 *   <li>Content that failed to load (errors in the source's own diagnostics) is {@link ConfigOutcome#REJECTED}, and
 *       that source's last good content stays in the merge, so one broken source never blocks the others.</li>
 *   <li>Otherwise the sources' contents are merged (in the order the sources were given) and checked like
 *       {@code shadowgate validate}. Errors reject it (unless {@link ErrorPolicy#APPLY}); a configuration that
 *       compiles to the serving version is {@link ConfigOutcome#UNCHANGED}; anything else is published as a new
 *       numbered version ({@link ConfigOutcome#APPLIED}).</li>
 * </ol>
 *
 * <p>A rollback re-publishes an earlier version and <em>pins</em> it: it keeps serving until a source's content
 * changes to something other than what it held when the rollback was made. Which version is serving, and whether
 * the sources say something else, is in {@link #state()}.
 *
 * <p>Thread-safe: sources call in on their own threads; every change of state happens under this object's lock,
 * and subscribers and event listeners are called under it, one at a time, in order.
 */
public final class ConfigController implements ConfigView, ConfigRollback, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigController.class);

    /** Versions and events kept by default. */
    public static final int DEFAULT_HISTORY = 50;

    /**
     * Errors that drop resources from the load (a file unreadable, YAML that does not parse, a document of the wrong
     * shape): a configuration with one of them is rejected even with {@link ErrorPolicy#APPLY}.
     */
    private static final Set<String> LOSES_RESOURCES = Set.of(DiagnosticCodes.READ_FAILED,
            DiagnosticCodes.YAML_SYNTAX, DiagnosticCodes.WRONG_TYPE);

    private static final String START_UP = "start-up";
    private static final String ROLLBACK = "rollback";

    /** A source and what it delivered. */
    private static final class Slot {
        final ConfigSource source;
        SourceContent received;
        Instant receivedAt;
        SourceContent accepted;
        /** Whether a ready content of this source has been accepted. */
        boolean ready;

        Slot(ConfigSource source) {
            this.source = source;
        }
    }

    /** A version and the resources it was compiled from (for the changes of the next one). */
    private record Kept(ConfigVersion version, ResourceDiff resources) {
    }

    /** The result of checking a candidate. */
    private record Checked(RoutingSnapshot snapshot, List<Diagnostic> diagnostics, boolean withErrors) {
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final CompileOptions compileOptions;
    private final ErrorPolicy errorPolicy;
    private final Clock clock;
    private final int historyLimit;
    private final List<Consumer<RoutingSnapshot>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConfigEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Deque<ConfigEvent> events = new ArrayDeque<>();
    /** Oldest first. */
    private final Deque<Kept> versions = new ArrayDeque<>();
    private Kept serving;
    private int nextNumber = 1;
    private boolean pinned;
    /** The merged input the sources held when the serving version was pinned by a rollback. */
    private String pinnedInput;
    /** The snapshot version the sources' latest content compiles to; {@code null} when it was rejected. */
    private String sourcesVersion;
    /** What the pinned input compiled to (restored when the sources go back to it). */
    private String pinnedSourcesVersion;
    private long rejections;
    private boolean started;
    private boolean watching;
    private boolean closed;

    private ConfigController(Builder b) {
        for (ConfigSource s : b.sources) {
            if (slots.put(s.name(), new Slot(s)) != null) {
                throw new IllegalArgumentException("two config sources are named '" + s.name()
                        + "' (expected: unique names)");
            }
        }
        this.compileOptions = b.compileOptions;
        this.errorPolicy = b.errorPolicy;
        this.clock = b.clock;
        this.historyLimit = b.historyLimit;
    }

    /** A builder: at least one source; defaults: {@link CompileOptions#defaults()}, reject errors, UTC clock. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Reads every source once and publishes the first version. Returns the start-up event: when it is
     * {@link ConfigOutcome#REJECTED}, nothing serves ({@link #current()} is {@code null}) and its diagnostics say
     * why (they are not logged one by one: the caller shows them). Subscribers registered before are called with
     * the first snapshot.
     *
     * @throws IllegalStateException when called twice
     */
    public synchronized ConfigEvent start() {
        if (started) {
            throw new IllegalStateException("the config controller was already started");
        }
        started = true;
        Map<String, SourceContent> all = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            SourceContent c = s.source.read();
            receive(s, c);
            all.put(s.source.name(), c);
        }
        return evaluate(START_UP, all);
    }

    /** Starts every source's watch: from now on, changes are applied as they come. Idempotent. */
    public synchronized void watch() {
        if (!started) {
            throw new IllegalStateException("start() the config controller before watching");
        }
        if (watching || closed) {
            return;
        }
        watching = true;
        for (Slot s : slots.values()) {
            s.source.start(this::onContent);
        }
    }

    /**
     * Reads every source now and applies what changed, as if each had pushed its content (for a reload asked for by
     * hand, and for tests). Returns the events it caused, oldest first (none when nothing changed).
     */
    public List<ConfigEvent> refresh() {
        List<ConfigEvent> out = new ArrayList<>();
        for (ConfigSource s : sources()) {
            // Read outside the lock: a slow read must not hold up the admin API's views.
            ConfigEvent e = onContent(s.read());
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private synchronized List<ConfigSource> sources() {
        return slots.values().stream().map(s -> s.source).toList();
    }

    /**
     * A source's whole content (the {@link ConfigSource.Listener} every source is started with). Returns the event
     * it caused, or {@code null} when it changed nothing (same content hash as before, or before {@link #start()}).
     */
    public synchronized ConfigEvent onContent(SourceContent content) {
        if (closed) {
            return null;
        }
        Slot slot = slots.get(content.source());
        if (slot == null) {
            log.warn("config from an unknown source '{}' ignored (sources: {})", content.source(), slots.keySet());
            return null;
        }
        if (slot.received != null && slot.received.contentHash().equals(content.contentHash())) {
            // A touch, a save without changes, a resync with the same resource versions: nothing to do, except that
            // a source may become ready without its content changing.
            if (content.ready() && slot.accepted != null
                    && slot.accepted.contentHash().equals(content.contentHash())) {
                slot.ready = true;
            }
            return null;
        }
        receive(slot, content);
        if (!started) {
            return null;
        }
        log.info("config source {} changed ({})", content.source(), content.contentHash());
        return evaluate(content.source(), Map.of(content.source(), content));
    }

    private void receive(Slot slot, SourceContent content) {
        slot.received = content;
        slot.receivedAt = clock.instant();
    }

    /** Registers a subscriber for every snapshot published from now on (call {@link #current()} for this one). */
    public void subscribe(Consumer<RoutingSnapshot> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
    }

    /** Registers a listener for every event from now on (metrics, logs). */
    public void onEvent(Consumer<ConfigEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops every source. Idempotent. */
    @Override
    public void close() {
        List<ConfigSource> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = slots.values().stream().map(s -> s.source).toList();
        }
        // Outside the lock: a source's close may wait for its thread, which may be waiting for this lock.
        for (ConfigSource s : toClose) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("closing config source {} failed: {}", s.name(), e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ the pipeline

    private ConfigEvent evaluate(String trigger, Map<String, SourceContent> updates) {
        Integer from = serving == null ? null : serving.version().number();
        List<Diagnostic> loadDiagnostics = new ArrayList<>();
        List<String> failedSources = new ArrayList<>();
        for (SourceContent c : updates.values()) {
            if (c.load().hasErrors()) {
                failedSources.add(c.source());
                loadDiagnostics.addAll(c.load().diagnostics());
            }
        }
        if (!failedSources.isEmpty() && errorPolicy == ErrorPolicy.REJECT) {
            List<String> notes = new ArrayList<>();
            for (String s : failedSources) {
                notes.add(slots.get(s).accepted == null
                        ? "source " + s + " could not be loaded; it has no earlier content to keep"
                        : "source " + s + " could not be loaded; its last good content is kept");
            }
            // Errors first, as the check orders them.
            loadDiagnostics.sort(Comparator.comparingInt(d -> d.severity().ordinal()));
            return reject(trigger, from, sourcesOf(updates), loadDiagnostics, notes);
        }
        Map<String, SourceContent> candidate = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            SourceContent c = updates.containsKey(s.source.name()) ? updates.get(s.source.name()) : s.accepted;
            if (c != null) {
                candidate.put(s.source.name(), c);
            }
        }
        String input = inputHash(candidate);
        if (pinned && input.equals(pinnedInput)) {
            // Back to what the sources held when the rollback was made: the rollback stays.
            acceptAll(updates);
            sourcesVersion = pinnedSourcesVersion;
            log.info("config sources are back to the content rolled away from; still serving {} (rolled back)",
                    serving.version().label());
            return null;
        }
        LoadResult merged = merge(candidate);
        Checked checked = check(merged);
        if (checked.snapshot() == null) {
            return reject(trigger, from, merged.sources(), checked.diagnostics(), List.of());
        }
        RoutingSnapshot next = checked.snapshot();
        List<String> notes = new ArrayList<>();
        if (merged.resources().isEmpty()) {
            notes.add("no Istio resources in " + (merged.sources().isEmpty() ? "the sources (no .yaml or .yml files)"
                    : String.join(", ", merged.sources())) + ": nothing is routed, every request gets 404 NR");
            log.warn("config: {}", notes.get(notes.size() - 1));
        }
        if (serving != null && next.version().equals(serving.version().version())) {
            acceptAll(updates);
            sourcesVersion = next.version();
            boolean wasPinned = pinned;
            pinned = false;
            notes.add(wasPinned
                    ? "the sources now hold the serving version " + serving.version().label()
                            + "; the rollback no longer pins it"
                    : "the sources changed but compile to the serving version " + serving.version().label());
            return record(new ConfigEvent(ConfigOutcome.UNCHANGED, clock.instant(), trigger, from,
                    serving.version().version(), from, merged.sources(), List.of(), checked.diagnostics(), notes));
        }
        ConfigOutcome outcome = checked.withErrors() ? ConfigOutcome.APPLIED_WITH_ERRORS : ConfigOutcome.APPLIED;
        ResourceDiff resources = ResourceDiff.of(merged.resources());
        List<ResourceChange> changes = (serving == null ? ResourceDiff.EMPTY : serving.resources())
                .changesTo(resources);
        Kept kept = new Kept(new ConfigVersion(nextNumber, next.version(), clock.instant(), merged.sources(), from,
                outcome, changes, next), resources);
        if (!publish(kept)) {
            return reject(trigger, from, merged.sources(), List.of(), List.of("publishing " + next.version()
                    + " failed (see the log); still serving " + (serving == null ? "nothing" : serving.version()
                    .label())));
        }
        acceptAll(updates);
        sourcesVersion = next.version();
        nextNumber++;
        keep(kept);
        if (pinned) {
            log.info("config sources changed after a rollback: the rollback no longer pins {}", serving.version()
                    .label());
            notes.add("the sources changed after a rollback: it no longer pins " + serving.version().label());
        }
        pinned = false;
        Kept before = serving;
        serving = kept;
        if (checked.withErrors()) {
            notes.add(0, "applied WITH " + count(checked.diagnostics(), Severity.ERROR)
                    + " ERROR(S) because the gateway runs with --apply-with-errors");
            for (Diagnostic d : checked.diagnostics()) {
                if (d.severity() == Severity.ERROR) {
                    log.error("config applied with error: {}", d.format());
                }
            }
            log.error("config {} APPLIED WITH {} ERROR(S) (--apply-with-errors); it may not route as written",
                    kept.version().label(), count(checked.diagnostics(), Severity.ERROR));
        }
        checked.diagnostics().stream().filter(d -> d.severity() == Severity.WARNING)
                .forEach(d -> log.warn("config warning: {}", d.format()));
        log.info("config {} applied from {} ({}; was {})", kept.version().label(), merged.sources(),
                changes.isEmpty() ? "no resource changed" : changes.size() + " resource change(s): " + changes,
                before == null ? "none" : before.version().label());
        return record(new ConfigEvent(outcome, clock.instant(), trigger, kept.version().number(), next.version(),
                from, merged.sources(), changes, checked.diagnostics(), notes));
    }

    private ConfigEvent reject(String trigger, Integer from, List<String> sources, List<Diagnostic> diagnostics,
                               List<String> notes) {
        rejections++;
        sourcesVersion = null;
        long errors = count(diagnostics, Severity.ERROR);
        List<String> all = new ArrayList<>(notes);
        all.add(0, "rejected: " + errors + " error(s); " + (serving == null ? "nothing was started"
                : "still serving " + serving.version().label()));
        if (!START_UP.equals(trigger)) {
            // At start-up the caller prints them (start() returns them), so a terminal shows each once.
            for (Diagnostic d : diagnostics) {
                if (d.severity() == Severity.ERROR) {
                    log.error("config rejected: {}", d.format());
                }
            }
        }
        log.error("config change from {} rejected ({} error(s)); {}", trigger, errors,
                serving == null ? "nothing is serving" : "still serving " + serving.version().label());
        return record(new ConfigEvent(ConfigOutcome.REJECTED, clock.instant(), trigger, from,
                serving == null ? null : serving.version().version(), from, sources, List.of(), diagnostics, all));
    }

    /** The same check as {@code shadowgate validate}; with {@link ErrorPolicy#APPLY}, a fallback compilation. */
    private Checked check(LoadResult merged) {
        CompileOptions options = compileOptions.withSourceNames(merged.sources());
        CompileResult result;
        try {
            result = ConfigCheck.check(merged, options);
        } catch (RuntimeException e) {
            log.error("config check failed", e);
            return new Checked(null, List.of(new Diagnostic(Severity.ERROR, "internal",
                    "the check failed unexpectedly (a bug; the log has the stack trace): " + e, null, 0, 0, null, null, null, null)), false);
        }
        if (result.snapshot() != null || errorPolicy == ErrorPolicy.REJECT) {
            return new Checked(result.snapshot(), result.diagnostics(), false);
        }
        if (result.diagnostics().stream().anyMatch(d -> LOSES_RESOURCES.contains(d.code()))) {
            // Applying would serve without what could not be read: never, whatever the policy.
            return new Checked(null, result.diagnostics(), false);
        }
        // Without the loader's findings (unknown fields, ...), which alone make the compiler refuse.
        CompileResult forced;
        try {
            forced = SnapshotCompiler.compile(merged.resources(), options);
        } catch (RuntimeException e) {
            log.error("config could not be compiled even with --apply-with-errors", e);
            return new Checked(null, result.diagnostics(), false);
        }
        RoutingSnapshot s = forced.snapshot();
        if (s == null) {
            return new Checked(null, result.diagnostics(), false);
        }
        RoutingSnapshot withAll = new RoutingSnapshot(s.version(), s.compiledAt(), s.sources(), s.listeners(),
                s.clusters(), result.diagnostics());
        return new Checked(withAll, result.diagnostics(), true);
    }

    /** Calls every subscriber; when one fails, puts the serving snapshot back and says so. */
    private boolean publish(Kept next) {
        try {
            for (Consumer<RoutingSnapshot> s : subscribers) {
                s.accept(next.version().snapshot());
            }
            return true;
        } catch (RuntimeException e) {
            log.error("publishing config {} failed; putting {} back", next.version().label(),
                    serving == null ? "nothing" : serving.version().label(), e);
            if (serving != null) {
                for (Consumer<RoutingSnapshot> s : subscribers) {
                    try {
                        s.accept(serving.version().snapshot());
                    } catch (RuntimeException again) {
                        log.error("putting config {} back failed", serving.version().label(), again);
                    }
                }
            }
            return false;
        }
    }

    private void acceptAll(Map<String, SourceContent> updates) {
        updates.forEach((name, c) -> {
            Slot s = slots.get(name);
            s.accepted = c;
            // Ready once a complete content of the source is part of what was compiled, not merely received.
            s.ready |= c.ready();
        });
    }

    private void keep(Kept k) {
        versions.addLast(k);
        while (versions.size() > historyLimit) {
            versions.removeFirst();
        }
    }

    private ConfigEvent record(ConfigEvent e) {
        events.addFirst(e);
        while (events.size() > historyLimit) {
            events.removeLast();
        }
        for (Consumer<ConfigEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                log.warn("config event listener failed: {}", ex.toString());
            }
        }
        return e;
    }

    private static LoadResult merge(Map<String, SourceContent> contents) {
        List<Resource<?>> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (SourceContent c : contents.values()) {
            resources.addAll(c.load().resources());
            diagnostics.addAll(c.load().diagnostics());
            sources.addAll(c.load().sources());
        }
        return new LoadResult(resources, diagnostics, sources);
    }

    private static List<String> sourcesOf(Map<String, SourceContent> contents) {
        return contents.values().stream().flatMap(c -> c.load().sources().stream()).toList();
    }

    private static String inputHash(Map<String, SourceContent> contents) {
        ContentHash h = new ContentHash();
        contents.forEach((name, c) -> h.add(name).add(c.contentHash()));
        return h.finish();
    }

    private static long count(List<Diagnostic> diagnostics, Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }

    // ------------------------------------------------------------------ rollback

    @Override
    public synchronized RollbackResult rollback(String to) {
        if (serving == null) {
            return new RollbackResult(RollbackResult.Status.NOT_STARTED, null, null,
                    "nothing to roll back: no config was ever applied");
        }
        ConfigVersion from = serving.version();
        Kept target;
        if (to == null || to.isBlank()) {
            target = from.parent() == null ? null : find(from.parent());
            if (target == null) {
                return new RollbackResult(RollbackResult.Status.START_OF_HISTORY, from, from,
                        "nothing to roll back to: " + from.label() + " is the start of the history"
                                + (from.parent() == null ? "" : " (#" + from.parent() + " and older are no longer kept)"));
            }
        } else {
            target = resolve(to.trim());
            if (target == null) {
                return new RollbackResult(RollbackResult.Status.UNKNOWN_VERSION, from, from,
                        "no version '" + to.trim() + "' in the history (kept: " + keptRange() + ")");
            }
            if (target == serving) {
                return new RollbackResult(RollbackResult.Status.ALREADY_SERVING, from, from,
                        target.version().label() + " is already serving");
            }
        }
        if (!publish(target)) {
            return new RollbackResult(RollbackResult.Status.ALREADY_SERVING, from, from,
                    "rolling back to " + target.version().label() + " failed (see the log); still serving "
                            + from.label());
        }
        if (!pinned) {
            pinned = true;
            Map<String, SourceContent> accepted = new LinkedHashMap<>();
            slots.forEach((name, s) -> {
                if (s.accepted != null) {
                    accepted.put(name, s.accepted);
                }
            });
            pinnedInput = inputHash(accepted);
            pinnedSourcesVersion = sourcesVersion;
        }
        Kept before = serving;
        serving = target;
        String message = "rolled back from " + from.label() + " to " + target.version().label()
                + "; it stays until the config sources' content changes";
        log.warn("config {}", message);
        record(new ConfigEvent(ConfigOutcome.ROLLED_BACK, clock.instant(), ROLLBACK, target.version().number(),
                target.version().version(), from.number(), target.version().sources(),
                before.resources().changesTo(target.resources()), List.of(), List.of(message)));
        return new RollbackResult(RollbackResult.Status.ROLLED_BACK, from, target.version(), message);
    }

    /** {@code 3}, {@code #3}, {@code sha256:0123456789ab} or a prefix of a hash (with or without {@code sha256:}). */
    private Kept resolve(String to) {
        String t = to.startsWith("#") ? to.substring(1) : to;
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return find(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String hash = t.startsWith("sha256:") ? t : "sha256:" + t;
        if (hash.length() <= "sha256:".length()) {
            return null;
        }
        Kept newest = null;
        for (Kept k : versions) {
            if (k.version().version().startsWith(hash)) {
                newest = k;
            }
        }
        return newest;
    }

    private Kept find(int number) {
        for (Kept k : versions) {
            if (k.version().number() == number) {
                return k;
            }
        }
        return null;
    }

    private String keptRange() {
        return versions.isEmpty() ? "none" : "#" + versions.getFirst().version().number() + " to #"
                + versions.getLast().version().number();
    }

    // ------------------------------------------------------------------ views

    @Override
    public synchronized RoutingSnapshot current() {
        return serving == null ? null : serving.version().snapshot();
    }

    @Override
    public synchronized ConfigState state() {
        List<ConfigState.SourceState> sources = new ArrayList<>();
        for (Slot s : slots.values()) {
            sources.add(new ConfigState.SourceState(s.source.name(),
                    s.received == null ? null : s.received.contentHash(), s.receivedAt,
                    s.received != null && s.received == s.accepted, s.ready));
        }
        ConfigVersion v = serving == null ? null : serving.version();
        boolean match = v != null && v.version().equals(sourcesVersion);
        String drift = null;
        if (v != null && !match) {
            if (sourcesVersion == null) {
                drift = "the sources' latest content was rejected (see the history); still serving " + v.label();
            } else {
                drift = (pinned ? "rolled back to " + v.label() : "serving " + v.label()) + ", but the sources hold "
                        + labelOf(sourcesVersion) + "; it stays until their content changes";
            }
        }
        return new ConfigState(v, pinned, match, drift, sources, rejections, errorPolicy);
    }

    private String labelOf(String version) {
        Kept newest = null;
        for (Kept k : versions) {
            if (k.version().version().equals(version)) {
                newest = k;
            }
        }
        return newest == null ? version : newest.version().label();
    }

    @Override
    public synchronized List<ConfigVersion> versions() {
        List<ConfigVersion> out = new ArrayList<>(versions.size());
        versions.descendingIterator().forEachRemaining(k -> out.add(k.version()));
        return List.copyOf(out);
    }

    @Override
    public synchronized List<ConfigEvent> history() {
        return List.copyOf(events);
    }

    /** Configures a {@link ConfigController}. */
    public static final class Builder {
        private final List<ConfigSource> sources = new ArrayList<>();
        private CompileOptions compileOptions = CompileOptions.defaults();
        private ErrorPolicy errorPolicy = ErrorPolicy.REJECT;
        private Clock clock = Clock.systemUTC();
        private int historyLimit = DEFAULT_HISTORY;

        private Builder() {
        }

        /** Adds a source; sources are merged in the order added (a later resource of the same name wins). */
        public Builder source(ConfigSource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** The listener address and domain suffix to compile with (the source names are filled in per merge). */
        public Builder compileOptions(CompileOptions options) {
            this.compileOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** What a configuration with errors gets (default {@link ErrorPolicy#REJECT}). */
        public Builder errorPolicy(ErrorPolicy policy) {
            this.errorPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The clock for event and version times (default UTC system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How many versions and events are kept (default {@link #DEFAULT_HISTORY}). */
        public Builder historyLimit(int limit) {
            if (limit < 2) {
                throw new IllegalArgumentException("historyLimit: " + limit + " (expected: >= 2)");
            }
            this.historyLimit = limit;
            return this;
        }

        /** A controller over the sources given; nothing is read before {@link ConfigController#start()}. */
        public ConfigController build() {
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("a config controller needs at least one source");
            }
            return new ConfigController(this);
        }
    }
}
