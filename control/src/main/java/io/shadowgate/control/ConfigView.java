package io.shadowgate.control;

import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.List;

/**
 * The controller, read only: what the admin API's {@code /config} and the CLI's {@code status} show. Every method
 * returns an immutable copy; thread-safe.
 */
public interface ConfigView {

    /** The snapshot serving now, or {@code null} before the first. */
    RoutingSnapshot current();

    /** What is serving, and whether the sources still say the same. */
    ConfigState state();

    /** The versions kept (newest first): each one's number, hash, time, sources, parent and changes. */
    List<ConfigVersion> versions();

    /** Recent events, newest first. */
    List<ConfigEvent> history();
}
