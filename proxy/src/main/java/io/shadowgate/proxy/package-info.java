/**
 * The Netty data path: listeners, routing of each request against the current
 * {@link io.shadowgate.config.snapshot.RoutingSnapshot}, upstream pools and load balancing, mirroring, and the
 * events telemetry consumes.
 *
 * <p>Starting points: {@link io.shadowgate.proxy.ProxyServer} (lifecycle), {@link io.shadowgate.proxy.options.ProxyOptions}
 * (every limit and default, each documented), {@code server.FrontendHandler} (one client connection),
 * {@code mirror.MirrorDispatcher} (shadow traffic). The handler order of each pipeline and the flow-control rules
 * are written down in {@code docs/data-path.md}.
 */
package io.shadowgate.proxy;
