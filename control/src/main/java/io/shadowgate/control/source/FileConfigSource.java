package io.shadowgate.control.source;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.source.ConfigSource;
import io.shadowgate.config.source.SourceContent;
import io.shadowgate.control.ContentHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * YAML files and directories ({@code run -f}), polled.
 *
 * <p>Every {@code pollInterval} it hashes the bytes of exactly the files a load reads ({@link ConfigLoader#expand}:
 * {@code *.yaml} and {@code *.yml}, dot-names skipped, symlinks followed), in reading order. A hash that differs from
 * the last content delivered is delivered once it has stayed the same for one more poll (the debounce: a file still
 * being written is not read half-way). So a {@code touch}, an editor saving the same bytes, a rename that keeps the
 * order, or an editor's swap file changes nothing; a Kubernetes ConfigMap update (kubelet swaps the {@code ..data}
 * symlink to a new timestamped directory) is seen through the visible names.
 *
 * <p>Polling rather than a WatchService: inotify-based watchers report the ConfigMap symlink swap unreliably.
 *
 * <p>Thread-safe. The listener is called on the source's one daemon thread, {@code shadowgate-config-watch}.
 */
public final class FileConfigSource implements ConfigSource {

    /** The poll interval of {@code shadowgate run}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    /** The name of a file source unless another is given. */
    public static final String NAME = "files";

    private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);
    private static final int READ_ATTEMPTS = 5;

    private final String name;
    private final List<Path> paths;
    private final Duration pollInterval;
    private ScheduledExecutorService watcher;
    private Listener listener;
    /** The hash of the content last read or delivered. */
    private String delivered;
    /** A hash seen once, waiting for one more poll. */
    private String pending;
    private boolean closed;

    /** Reads {@code paths} (files or directories, in order) every {@code pollInterval} once started. */
    public FileConfigSource(List<Path> paths, Duration pollInterval) {
        this(NAME, paths, pollInterval);
    }

    /** The same, named {@code name} (to tell several file sources apart). */
    public FileConfigSource(String name, List<Path> paths, Duration pollInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.paths = List.copyOf(paths);
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: > 0)");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The paths given. */
    public List<Path> paths() {
        return paths;
    }

    /**
     * Loads the files now. The hash is taken before and after the load; when they differ (a writer was busy), the
     * load is repeated, up to five times.
     */
    @Override
    public synchronized SourceContent read() {
        String before = hash();
        LoadResult load = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            load = new ConfigLoader().load(paths);
            String after = hash();
            if (after.equals(before)) {
                break;
            }
            before = after;
        }
        delivered = before;
        return new SourceContent(name, load, before, true);
    }

    @Override
    public synchronized void start(Listener l) {
        if (listener != null) {
            throw new IllegalStateException("file config source already started");
        }
        if (closed) {
            return;
        }
        listener = Objects.requireNonNull(l, "listener");
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shadowgate-config-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = pollInterval.toMillis();
        watcher.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One poll: deliver the content when its hash changed and stayed for one more poll. */
    void poll() {
        try {
            SourceContent content;
            synchronized (this) {
                if (closed) {
                    return;
                }
                String now = hash();
                if (now.equals(delivered)) {
                    pending = null;
                    return;
                }
                if (!now.equals(pending)) {
                    pending = now;
                    return;
                }
                pending = null;
                log.info("config files changed: reloading");
                content = read();
            }
            // Outside this source's lock: the controller takes its own, and may read this source under it.
            listener.onContent(content);
        } catch (RuntimeException e) {
            log.error("config watch failed: {}", e.toString(), e);
        }
    }

    /** A hash of the bytes of every file a load reads, in order, and of every problem finding them. */
    private String hash() {
        ContentHash h = new ContentHash();
        for (Path p : paths) {
            List<Diagnostic> problems = new ArrayList<>();
            for (Path file : ConfigLoader.expand(p, problems)) {
                try {
                    h.add(Files.readAllBytes(file));
                } catch (IOException e) {
                    h.add("unreadable " + file + ": " + e.getMessage());
                }
            }
            for (Diagnostic d : problems) {
                h.add(d.format());
            }
        }
        return h.finish();
    }

    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (this) {
            closed = true;
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.shutdownNow();
        }
    }
}
