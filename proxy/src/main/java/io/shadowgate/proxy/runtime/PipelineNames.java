package io.shadowgate.proxy.runtime;

/**
 * Every handler name of the proxy's Netty pipelines, in one place (reactor-netty's {@code NettyPipeline}), so
 * handlers can be found, inserted before or after, and replaced by name. The order of each pipeline, first to last
 * (also in {@code docs/data-path.md}, with the reason for each handler):
 *
 * <p><b>Client connection, HTTP/1.1</b> (step {@code ClientChannelInitializer.addHttp1}):
 * {@link #ACTIVITY} → {@link #WIRE} → {@link #HTTP1_CODEC} → {@link #STRICT} → {@link #STALL} →
 * {@link #FRONTEND}. Steps still to come (issue 15) go in front of it: {@code tls} (SslHandler) and
 * {@code protocol-detection} (ALPN or the h2c preface), after which either {@code addHttp1} or an {@code addHttp2}
 * step ({@code h2-codec}, {@code h2-multiplex}) completes the pipeline.
 *
 * <p><b>Upstream connection, HTTP/1.1</b>, primary and mirror (step {@code Http1UpstreamCodec.addTo}):
 * {@link #UPSTREAM_IDLE} → {@link #UPSTREAM_CODEC} → {@link #UPSTREAM}.
 */
public final class PipelineNames {

    /** Starts the request-headers timeout at the first byte of a request ({@code ReadActivityHandler}). */
    public static final String ACTIVITY = "activity";
    /** Byte-level request checks Netty's decoder does not make ({@code RawRequestScanner}). */
    public static final String WIRE = "wire";
    /** {@code HttpServerCodec} with bounded line, headers and chunks. */
    public static final String HTTP1_CODEC = "codec";
    /** Smuggling and limit rules on each decoded head ({@code StrictRequestValidator}). */
    public static final String STRICT = "strict";
    /** Slow-body and slow-read timeouts ({@code ClientStallHandler}). */
    public static final String STALL = "stall";
    /** One request stream at a time, in order ({@code FrontendHandler}). */
    public static final String FRONTEND = "frontend";

    /** Closes a pooled upstream connection idle for the cluster's idle timeout ({@code IdleStateHandler}). */
    public static final String UPSTREAM_IDLE = "idle";
    /** {@code HttpClientCodec} with bounded response line, headers and chunks. */
    public static final String UPSTREAM_CODEC = "codec";
    /** Hands every response message to the connection's current owner ({@code UpstreamHandler}). */
    public static final String UPSTREAM = "upstream";

    private PipelineNames() {
    }
}
