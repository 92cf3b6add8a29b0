package io.shadowgate.admin.spi;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A bounded, thread-safe {@link ConfigStatus}: the CLI calls {@link #applied}, {@link #rejected} and
 * {@link #rolledBack} as its config source reports, and the admin server shows the result.
 */
public final class ConfigHistory implements ConfigStatus {

    /** Events kept by default. */
    public static final int DEFAULT_CAPACITY = 50;

    private final int capacity;
    private final Clock clock;
    private final Deque<ConfigEvent> events = new ArrayDeque<>();
    private ConfigEvent current;

    /** Keeps {@link #DEFAULT_CAPACITY} events. */
    public ConfigHistory() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    /** Keeps {@code capacity} events, timestamped with {@code clock}. */
    public ConfigHistory(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    /** A config was applied. */
    public synchronized ConfigEvent applied(String version, List<String> sources, List<String> warnings) {
        ConfigEvent e = new ConfigEvent(version, clock.instant(), ConfigEvent.Outcome.APPLIED, sources, warnings);
        current = e;
        return add(e);
    }

    /** A config was rejected; {@code messages} are the formatted errors. */
    public synchronized ConfigEvent rejected(String version, List<String> sources, List<String> messages) {
        return add(new ConfigEvent(version, clock.instant(), ConfigEvent.Outcome.REJECTED, sources, messages));
    }

    /** A previous config was restored. */
    public synchronized ConfigEvent rolledBack(String version, List<String> sources, String note) {
        ConfigEvent e = new ConfigEvent(version, clock.instant(), ConfigEvent.Outcome.ROLLED_BACK, sources,
                note == null ? List.of() : List.of(note));
        current = e;
        return add(e);
    }

    private ConfigEvent add(ConfigEvent e) {
        events.addFirst(e);
        while (events.size() > capacity) {
            events.removeLast();
        }
        return e;
    }

    @Override
    public synchronized String currentVersion() {
        return current == null ? null : current.version();
    }

    @Override
    public synchronized List<String> currentSources() {
        return current == null ? List.of() : current.sources();
    }

    @Override
    public synchronized Instant appliedAt() {
        return current == null ? null : current.at();
    }

    @Override
    public synchronized List<ConfigEvent> history() {
        return List.copyOf(new ArrayList<>(events));
    }
}
