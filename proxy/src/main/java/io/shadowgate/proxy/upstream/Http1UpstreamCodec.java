package io.shadowgate.proxy.upstream;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.shadowgate.proxy.runtime.PipelineNames;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to upstreams: {@code idle} ({@link IdleStateHandler}, all-idle = the pool's idle timeout), {@code codec}
 * ({@link HttpClientCodec}: response line ≤ 8 KiB, headers ≤ 64 KiB so a hostile upstream cannot make us buffer
 * without bound, body chunks ≤ 256 KiB, header names lower-cased as decoded), then the {@link UpstreamHandler}.
 * Stateless; shared.
 */
public final class Http1UpstreamCodec implements UpstreamCodec {

    /** The one instance. */
    public static final Http1UpstreamCodec INSTANCE = new Http1UpstreamCodec();

    private static final int MAX_RESPONSE_LINE = 8 * 1024;
    private static final int MAX_RESPONSE_HEADERS = 64 * 1024;
    private static final HttpDecoderConfig RESPONSE_DECODER = responseDecoder();

    private Http1UpstreamCodec() {
    }

    private static HttpDecoderConfig responseDecoder() {
        HttpDecoderConfig c = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_RESPONSE_LINE)
                .setMaxHeaderSize(MAX_RESPONSE_HEADERS)
                .setMaxChunkSize(ConnectionPool.MAX_CHUNK);
        return c.setHeadersFactory(LowerCaseHeaders.factory(c.getHeadersFactory()));
    }

    @Override
    public UpstreamProtocol protocol() {
        return UpstreamProtocol.HTTP1;
    }

    @Override
    public void addTo(ChannelPipeline pipeline, long idleMillis, UpstreamHandler handler) {
        pipeline.addLast(PipelineNames.UPSTREAM_IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                .addLast(PipelineNames.UPSTREAM_CODEC, new HttpClientCodec(RESPONSE_DECODER, false, false))
                .addLast(PipelineNames.UPSTREAM, handler);
    }
}
