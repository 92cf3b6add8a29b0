package io.shadowgate.proxy.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowgate.proxy.observe.ResponseFlag;
import io.shadowgate.proxy.stream.DownstreamStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1 codec side of an exchange on an {@link EmbeddedChannel}: what goes on the wire (read back through
 * Netty's response encoder) and whether the connection may carry the next request, for each framing and
 * connection-management rule {@link Http1ServerStream} owns.
 */
class Http1ServerStreamTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder(),
            new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().lastContext();
    private final Connection connection = new Connection();
    private final Router router = new Router();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void expectContinueIsAnsweredBeforeTheRouterSeesTheHead() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.POST, "content-length", "3", "expect",
                "100-continue");
        Http1ServerStream stream = start(request);

        assertThat(router.events).containsExactly("headers");
        assertThat(router.wireAtHeaders).startsWith("HTTP/1.1 100 Continue\r\n");
        assertThat(stream.head().declaredLength()).isEqualTo(3);
    }

    @Test
    void unknownLengthIsChunkedOnHttp11AndTheConnectionIsKept() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_1, HttpMethod.GET));
        stream.requestConsumed();

        stream.writeHead(HttpResponseStatus.OK, new DefaultHttpHeaders(), -1);
        stream.writeData(new DefaultHttpContent(Unpooled.copiedBuffer("ab", StandardCharsets.US_ASCII)));
        stream.writeData(new DefaultLastHttpContent());
        stream.streamDone();

        String wire = wire();
        assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").contains("transfer-encoding: chunked\r\n")
                .doesNotContainIgnoringCase("connection:").endsWith("2\r\nab\r\n0\r\n\r\n");
        assertThat(connection.keepAlive).containsExactly(true);
    }

    @Test
    void http10WithoutLengthIsCloseDelimited() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_0, HttpMethod.GET, "connection", "keep-alive"));
        stream.requestConsumed();

        stream.writeHead(HttpResponseStatus.OK, new DefaultHttpHeaders(), -1);
        stream.writeData(new DefaultLastHttpContent(Unpooled.copiedBuffer("to the end", StandardCharsets.US_ASCII)));
        stream.streamDone();

        assertThat(wire()).contains("connection: close\r\n").doesNotContain("transfer-encoding")
                .endsWith("\r\n\r\nto the end");
        assertThat(connection.keepAlive).containsExactly(false);
    }

    @Test
    void http10KeepAliveWithLengthSaysKeepAlive() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_0, HttpMethod.GET, "connection", "keep-alive"));
        stream.requestConsumed();

        stream.writeHead(HttpResponseStatus.OK, new DefaultHttpHeaders(), 5);
        stream.writeData(new DefaultLastHttpContent(Unpooled.copiedBuffer("12345", StandardCharsets.US_ASCII)));
        stream.streamDone();

        assertThat(wire()).contains("content-length: 5\r\n").contains("connection: keep-alive\r\n");
        assertThat(connection.keepAlive).containsExactly(true);
    }

    @Test
    void answeredBeforeTheBodyEndedClosesTheConnection() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "content-length", "10"));

        stream.writeLocal(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));
        stream.streamDone();

        assertThat(wire()).startsWith("HTTP/1.1 404 Not Found\r\n").contains("connection: close\r\n");
        assertThat(connection.keepAlive).containsExactly(false);
    }

    @Test
    void aBodylessRequestAnsweredAtItsHeadKeepsTheConnection() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_1, HttpMethod.GET));

        stream.writeLocal(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY));
        stream.streamDone();

        assertThat(wire()).doesNotContainIgnoringCase("connection:");
        assertThat(connection.keepAlive).containsExactly(true);
    }

    @Test
    void headAnd304And204GetNoChunkedFraming() {
        for (Object[] c : new Object[][] {{HttpMethod.HEAD, HttpResponseStatus.OK},
                {HttpMethod.GET, HttpResponseStatus.NOT_MODIFIED}, {HttpMethod.GET, HttpResponseStatus.NO_CONTENT}}) {
            Http1ServerStream stream = start(request(HttpVersion.HTTP_1_1, (HttpMethod) c[0]));
            stream.requestConsumed();
            stream.writeHead((HttpResponseStatus) c[1], new DefaultHttpHeaders(), -1);
            stream.writeData(new DefaultLastHttpContent());
            assertThat(wire()).as("%s %s", c[0], c[1]).startsWith("HTTP/1.1 " + c[1] + "\r\n")
                    .doesNotContain("transfer-encoding")
                    .doesNotContain("content-length").doesNotContainIgnoringCase("connection:");
        }
    }

    @Test
    void aResponseTo204NeverCarriesContentLength() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_1, HttpMethod.GET));
        stream.requestConsumed();
        HttpHeaders headers = new DefaultHttpHeaders();

        stream.writeHead(HttpResponseStatus.NO_CONTENT, headers, 0);
        stream.writeData(new DefaultLastHttpContent());

        assertThat(wire()).startsWith("HTTP/1.1 204 No Content\r\n").doesNotContain("content-length");
    }

    @Test
    void drainingAndEndAfterResponseClose() {
        connection.draining = true;
        Http1ServerStream draining = start(request(HttpVersion.HTTP_1_1, HttpMethod.GET));
        draining.requestConsumed();
        draining.writeHead(HttpResponseStatus.OK, new DefaultHttpHeaders(), 0);
        draining.writeData(new DefaultLastHttpContent());
        draining.streamDone();
        assertThat(wire()).contains("connection: close\r\n");

        connection.draining = false;
        Http1ServerStream failed = start(request(HttpVersion.HTTP_1_1, HttpMethod.GET));
        failed.requestConsumed();
        failed.endAfterResponse();
        failed.writeHead(HttpResponseStatus.OK, new DefaultHttpHeaders(), 0);
        failed.writeData(new DefaultLastHttpContent());
        failed.streamDone();
        assertThat(wire()).contains("connection: close\r\n");
        assertThat(connection.keepAlive).containsExactly(false, false);
    }

    @Test
    void dataAndClientFailuresGoToTheRouterAndReadsGoToTheChannel() {
        Http1ServerStream stream = start(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "transfer-encoding",
                "chunked"));
        assertThat(stream.head().streamedBody()).isTrue();
        assertThat(stream.head().bodyless()).isFalse();

        stream.onContent(new DefaultLastHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII)));
        stream.clientFailed(408, ResponseFlag.SI, "request body timeout");

        assertThat(router.events).containsExactly("headers", "data 1 last", "reset 408 SI");
        assertThat(stream.isWritable()).isTrue();
        assertThat(stream.eventLoop()).isSameAs(channel.eventLoop());
    }

    private Http1ServerStream start(HttpRequest request) {
        Http1RequestHead head = new Http1RequestHead(request, "example.com", request.uri(), "127.0.0.1", 40000,
                8080, 0L);
        Http1ServerStream stream = new Http1ServerStream(ctx, head, connection);
        router.channel = channel;
        stream.start(router);
        return stream;
    }

    private static HttpRequest request(HttpVersion version, HttpMethod method, String... headers) {
        HttpRequest r = new DefaultHttpRequest(version, method, "/a");
        r.headers().set("host", "example.com");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().set(headers[i], headers[i + 1]);
        }
        return r;
    }

    /** Everything written to the channel since the last call, as text. */
    private String wire() {
        return drain(channel);
    }

    private static String drain(EmbeddedChannel channel) {
        channel.flushOutbound();
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    private static final class Connection implements Http1Connection {
        final List<Boolean> keepAlive = new ArrayList<>();
        boolean draining;

        @Override
        public boolean inReadBatch() {
            return false;
        }

        @Override
        public boolean draining() {
            return draining;
        }

        @Override
        public void streamDone(Http1ServerStream stream, boolean keepAlive) {
            this.keepAlive.add(keepAlive);
        }
    }

    /** Records the events a router receives. */
    private static final class Router implements DownstreamStream.Listener {
        final List<String> events = new ArrayList<>();
        EmbeddedChannel channel;
        String wireAtHeaders;

        @Override
        public void onHeaders() {
            events.add("headers");
            wireAtHeaders = drain(channel);
        }

        @Override
        public void onData(HttpContent data) {
            events.add("data " + data.content().readableBytes()
                    + (data instanceof io.netty.handler.codec.http.LastHttpContent ? " last" : ""));
            data.release();
        }

        @Override
        public void onReset(int status, ResponseFlag flag, String body) {
            events.add("reset " + status + " " + flag);
        }

        @Override
        public void onClosed() {
            events.add("closed");
        }

        @Override
        public void onWritable() {
            events.add("writable");
        }

        @Override
        public void onReadBatchEnd() {
            events.add("batch end");
        }
    }
}
