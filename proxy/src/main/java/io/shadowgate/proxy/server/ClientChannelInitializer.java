package io.shadowgate.proxy.server;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.shadowgate.proxy.runtime.PipelineNames;
import io.shadowgate.proxy.upstream.LowerCaseHeaders;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of each accepted client connection: today one step, {@link #addHttp1}. Handler names are in
 * {@link PipelineNames}; order (also in {@code docs/data-path.md}):
 *
 * <ol>
 *   <li>{@code activity} — {@link ReadActivityHandler}: starts the request-headers timeout at a request's first byte;</li>
 *   <li>{@code wire} — {@link RawRequestScanner}: byte-level checks of request heads and chunked framing that Netty's
 *       decoder does not make or normalises away (obs-fold, request-line whitespace, chunk extensions);</li>
 *   <li>{@code codec} — {@link HttpServerCodec} with bounded request line, header block and chunk sizes, duplicate
 *       Content-Length rejected, header validation on;</li>
 *   <li>{@code strict} — {@link StrictRequestValidator}: smuggling and limit rules on each decoded head (Host,
 *       Content-Length, Transfer-Encoding, h2c, header count, body size) and trailers;</li>
 *   <li>{@code stall} — {@link ClientStallHandler}: slow-body and slow-read timeouts of the request in flight;</li>
 *   <li>{@code frontend} — {@link FrontendHandler}: one request stream ({@code Http1ServerStream} driven by a
 *       {@link RouterStream}) at a time.</li>
 * </ol>
 *
 * <p>A connection over the listener's limit is closed before any handler is added.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(ClientChannelInitializer.class);

    /**
     * Largest socket read and decoded body chunk (256 KiB): a streaming body moves in few large reads and writes.
     * With AUTO_READ off one read is in flight at a time, so an exchange buffers at most one read plus the
     * upstream's high watermark ({@code docs/data-path.md}).
     */
    static final int MAX_READ = 256 * 1024;

    /** Adaptive read sizes from 64 B to {@link #MAX_READ}, starting at 16 KiB; stateless, shared. */
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 16 * 1024, MAX_READ);

    private final ProxyRuntime rt;
    private final int listenerPort;
    private final ChannelGroup allClients;
    private final AtomicInteger connections = new AtomicInteger();

    public ClientChannelInitializer(ProxyRuntime rt, int listenerPort, ChannelGroup allClients) {
        this.rt = rt;
        this.listenerPort = listenerPort;
        this.allClients = allClients;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (connections.incrementAndGet() > rt.options().listener().maxConnectionsPerListener() || rt.draining()) {
            connections.decrementAndGet();
            log.debug("connection limit of listener {} reached: closing {}", listenerPort, ch.remoteAddress());
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        allClients.add(ch);
        ch.config().setRecvByteBufAllocator(READS);
        addHttp1(ch.pipeline());
    }

    /**
     * The HTTP/1.1 step: {@code activity}, {@code wire}, {@code codec}, {@code strict}, {@code stall},
     * {@code frontend}, appended to {@code pipeline} (after any TLS or protocol-detection handlers).
     */
    void addHttp1(ChannelPipeline pipeline) {
        FrontendHandler frontend = new FrontendHandler(rt, listenerPort);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(rt.options().listener().maxInitialLineBytes())
                .setMaxHeaderSize(rt.options().listener().maxHeaderBytes())
                .setMaxChunkSize(MAX_READ)
                .setAllowDuplicateContentLengths(false)
                .setValidateHeaders(true);
        // Names lower-cased as decoded: the upstream request is this map, edited in place (UpstreamRequestBuilder).
        decoder.setHeadersFactory(LowerCaseHeaders.factory(decoder.getHeadersFactory()));
        RawRequestScanner scanner = new RawRequestScanner();
        scanner.onPartialHead(frontend::onRequestBytes);
        pipeline
                .addLast(PipelineNames.ACTIVITY, new ReadActivityHandler(frontend))
                .addLast(PipelineNames.WIRE, scanner)
                .addLast(PipelineNames.HTTP1_CODEC, new HttpServerCodec(decoder))
                .addLast(PipelineNames.STRICT, new StrictRequestValidator(rt.options(), scanner))
                .addLast(PipelineNames.STALL, new ClientStallHandler(frontend, rt.options().listener().requestBodyTimeout(),
                        rt.options().listener().responseSendTimeout()))
                .addLast(PipelineNames.FRONTEND, frontend);
    }

    /** Draining: closes {@code ch} now if it is between requests; otherwise its response closes it. */
    public static void drain(Channel ch) {
        FrontendHandler frontend = ch.pipeline().get(FrontendHandler.class);
        if (frontend != null) {
            frontend.drain();
        } else {
            ch.close();
        }
    }
}
