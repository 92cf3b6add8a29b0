package io.shadowgate.admin.spi;

import java.time.Instant;
import java.util.List;

/**
 * The config state {@code /config} shows. Implementations must be thread-safe; {@link ConfigHistory} is one.
 */
public interface ConfigStatus {

    /** The version serving now, or {@code null} before the first config. */
    String currentVersion();

    /** The files the serving config was read from. */
    List<String> currentSources();

    /** When the serving config was applied, or {@code null}. */
    Instant appliedAt();

    /** Recent events, newest first. */
    List<ConfigEvent> history();
}
