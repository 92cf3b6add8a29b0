/**
 * The client side of the data path: listeners, the pipeline of each client connection ({@code
 * ClientChannelInitializer}, handler names in {@code runtime.PipelineNames}), and the protocol-neutral router.
 *
 * <p>One request is split as Envoy splits it: a server codec ({@code server.http1.Http1ServerStream} today) turns
 * the wire into a {@code proxy.stream} stream; {@code RouterStream} decides what the request does (route, local
 * replies through {@code CorsPolicy}, {@code FaultInjector} and {@code LocalReplies}, the global timeout, retries
 * driving {@code RetryState}, response header edits) and drives the mirrors ({@code mirror.MirrorFanout}) and the
 * log ({@code observe.ExchangeLog}); {@code UpstreamRequestBuilder} builds each attempt's head.
 *
 * <p><b>Internal</b>: only {@code ProxyServer} uses it ({@code ClientChannelInitializer}, {@code ProxyRuntime});
 * anything here may change or disappear at any time.
 *
 * <p>Threading: everything of one client connection, including its upstream and mirror connections, runs on that
 * connection's event loop. Flow control (AUTO_READ off, read after write, watermarks) is described in
 * {@code docs/data-path.md}.
 */
package io.shadowgate.proxy.server;
