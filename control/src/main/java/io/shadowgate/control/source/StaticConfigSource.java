package io.shadowgate.control.source;

import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.source.ConfigSource;
import io.shadowgate.config.source.SourceContent;
import io.shadowgate.control.ContentHash;
import java.util.Objects;

/**
 * A YAML string that never changes (the demo's built-in configuration): always ready, never watched. Thread-safe
 * and stateless.
 */
public final class StaticConfigSource implements ConfigSource {

    private final String name;
    private final String yaml;

    /** {@code name} names the source in logs and diagnostics ({@code built-in demo config}). */
    public StaticConfigSource(String name, String yaml) {
        this.name = Objects.requireNonNull(name, "name");
        this.yaml = Objects.requireNonNull(yaml, "yaml");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceContent read() {
        return new SourceContent(name, new ConfigLoader().loadString(name, yaml), ContentHash.of(yaml), true);
    }

    /** Nothing to watch: the content never changes. */
    @Override
    public void start(Listener listener) {
        Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void close() {
    }
}
