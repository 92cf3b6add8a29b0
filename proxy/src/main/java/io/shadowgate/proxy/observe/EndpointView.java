package io.shadowgate.proxy.observe;

import io.shadowgate.config.snapshot.EndpointConfig;
import java.util.Map;

/** A read-only view of one upstream endpoint's runtime state (see {@link ClusterView}). Thread-safe. */
public interface EndpointView {

    /** {@code ip:port}. */
    String hostPort();

    /** The compiled configuration (address as configured, locality, source). */
    EndpointConfig config();

    /** The endpoint's labels ({@code version}, ...). */
    Map<String, String> labels();

    /** The load-balancing weight. */
    int weight();

    /** Requests in flight to it. */
    int activeRequests();

    /** Whether outlier detection has it ejected at {@code nowNanos}. */
    boolean ejected(long nowNanos);

    /** How many times it was ejected. */
    int ejections();
}
