package io.shadowgate.config.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Istio {@code ConnectionPoolSettings}.
 *
 * @param tcp TCP-level settings
 * @param http HTTP-level settings
 */
public record ConnectionPoolSettings(TCPSettings tcp, HTTPSettings http) {

    /**
     * Istio {@code ConnectionPoolSettings.TCPSettings}.
     *
     * @param maxConnections        maximum connections to the destination
     * @param connectTimeout        TCP connect timeout (default 10s)
     * @param tcpKeepalive          kept as written
     * @param maxConnectionDuration maximum connection lifetime
     * @param idleTimeout           TCP idle timeout
     */
    public record TCPSettings(Integer maxConnections, String connectTimeout, JsonNode tcpKeepalive,
                              String maxConnectionDuration, String idleTimeout) {
    }

    /**
     * Istio {@code ConnectionPoolSettings.HTTPSettings}.
     *
     * @param http1MaxPendingRequests  maximum queued requests
     * @param http2MaxRequests         maximum active requests
     * @param maxRequestsPerConnection requests per connection, 0 unlimited
     * @param maxRetries               maximum concurrent retries
     * @param idleTimeout              idle timeout of upstream connections (default 1h)
     * @param h2UpgradePolicy          {@code DEFAULT}, {@code DO_NOT_UPGRADE}, {@code UPGRADE}
     * @param useClientProtocol        use the client's protocol upstream
     * @param maxConcurrentStreams     HTTP/2 streams per connection
     * @param http2KeepAlive           kept as written
     */
    public record HTTPSettings(Integer http1MaxPendingRequests, Integer http2MaxRequests,
                               Integer maxRequestsPerConnection, Integer maxRetries, String idleTimeout,
                               String h2UpgradePolicy, Boolean useClientProtocol, Integer maxConcurrentStreams,
                               JsonNode http2KeepAlive) {
    }
}
