package io.shadowgate.proxy.observe;

import io.shadowgate.config.snapshot.ClusterConfig;
import java.util.List;

/**
 * A read-only view of one upstream cluster's runtime state, for the admin API and metrics: nothing here can change
 * the data path (counters are read as values, not handed out as atomics). Thread-safe; values are a moment's.
 */
public interface ClusterView {

    /** The compiled configuration. */
    ClusterConfig config();

    /** Open upstream connections, all event loops together. */
    int connectionCount();

    /** Requests in flight (primary traffic). */
    int activeRequestCount();

    /** Requests waiting for a connection (at {@code maxConnections}). */
    int pendingRequestCount();

    /** The current endpoints. */
    List<? extends EndpointView> endpointViews();
}
