package io.shadowgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.shadowgate.proxy.runtime.PipelineNames;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 upstream pipeline step on an {@link EmbeddedChannel}: handler order and names, header names
 * lower-cased as decoded, and the response header bound that keeps a hostile upstream from making us buffer.
 */
class Http1UpstreamCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Object> received = new ArrayList<>();
    private final UpstreamHandler handler = new UpstreamHandler(new InetSocketAddress("127.0.0.1", 1));

    @AfterEach
    void close() {
        received.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void addsIdleCodecAndOwnerInOrder() {
        Http1UpstreamCodec.INSTANCE.addTo(channel.pipeline(), 60_000, handler);

        assertThat(Http1UpstreamCodec.INSTANCE.protocol()).isEqualTo(UpstreamProtocol.HTTP1);
        assertThat(channel.pipeline().names()).startsWith(PipelineNames.UPSTREAM_IDLE, PipelineNames.UPSTREAM_CODEC,
                PipelineNames.UPSTREAM);
        assertThat(channel.pipeline().last()).isSameAs(handler);
    }

    @Test
    void responsesReachTheLeaseHolderWithLowerCaseNames() {
        Http1UpstreamCodec.INSTANCE.addTo(channel.pipeline(), 60_000, handler);
        handler.lease(new Recorder());

        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nX-Version: v2\r\nContent-Length: 2\r\n\r\nok",
                StandardCharsets.US_ASCII));

        assertThat(received).hasSizeGreaterThanOrEqualTo(2);
        HttpResponse head = (HttpResponse) received.get(0);
        assertThat(head.headers().names()).contains("x-version", "content-length");
        assertThat(received.get(received.size() - 1)).isInstanceOf(LastHttpContent.class);
    }

    @Test
    void anOversizedResponseHeaderIsADecoderFailure() {
        Http1UpstreamCodec.INSTANCE.addTo(channel.pipeline(), 60_000, handler);
        handler.lease(new Recorder());

        String big = "x-big: " + "a".repeat(70 * 1024) + "\r\n";
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n" + big + "\r\n", StandardCharsets.US_ASCII));

        assertThat(received).isNotEmpty();
        assertThat(((HttpResponse) received.get(0)).decoderResult().isFailure()).isTrue();
    }

    private final class Recorder implements UpstreamListener {
        @Override
        public void onUpstreamMessage(Object msg) {
            received.add(msg instanceof HttpContent c && !(msg instanceof HttpResponse) ? c : msg);
        }

        @Override
        public void onUpstreamWritabilityChanged(boolean writable) {
        }

        @Override
        public void onUpstreamClosed() {
        }

        @Override
        public void onUpstreamError(Throwable cause) {
        }
    }
}
