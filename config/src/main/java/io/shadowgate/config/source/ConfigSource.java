package io.shadowgate.config.source;

/**
 * A place configuration comes from. Implementations: files ({@code -f}), the demo's built-in YAML, the Kubernetes
 * API; later the release controller's overlay.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #read()} reads the whole current content once, synchronously (for {@code validate} and
 *       {@code explain}, and for the first snapshot at start-up).</li>
 *   <li>{@link #start(Listener)} begins watching: the listener receives the whole content each time it changes
 *       (never a delta), on a thread of the source's own, one call at a time. A source may call it with content
 *       whose {@link SourceContent#contentHash()} equals the last one; the controller ignores such calls, so a
 *       no-op save or a {@code touch} never reloads.</li>
 *   <li>{@link #close()} stops watching; no listener call starts after it returns.</li>
 * </ul>
 */
public interface ConfigSource extends AutoCloseable {

    /** A short name for logs, {@code /config} and diagnostics: {@code files}, {@code built-in}, {@code kubernetes}. */
    String name();

    /** Reads the whole current content now. */
    SourceContent read();

    /** Begins delivering content to {@code listener} whenever it changes. Called at most once. */
    void start(Listener listener);

    /** Stops watching and releases what the source holds. Idempotent. */
    @Override
    void close();

    /** Receives a source's whole content. */
    @FunctionalInterface
    interface Listener {
        void onContent(SourceContent content);
    }
}
