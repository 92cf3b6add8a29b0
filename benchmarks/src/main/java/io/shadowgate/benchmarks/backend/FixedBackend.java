package io.shadowgate.benchmarks.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark upstream: answers every request with a fixed {@code 200}, {@code Content-Length: 2}, body {@code ok},
 * optionally after a fixed delay scheduled on the connection's event loop (no thread sleeps), so that the backend is
 * never what a proxy benchmark measures.
 *
 * <p>The response is one pre-encoded buffer written as is (no HTTP encoder in the pipeline); request bodies of any size
 * and framing are decoded and discarded. {@code GET /__bench/stats} answers the listener's counters as JSON
 * ({@code {"requests":N,"bodyBytes":M,"connections":C}}; the stats request is not counted in requests), read before and
 * after a measurement to see how many primary and mirrored requests really arrived.
 *
 * <pre>
 * java -cp benchmarks.jar io.shadowgate.benchmarks.backend.FixedBackend \
 *     --threads 1 --listen 127.0.0.1:19001 --listen 127.0.0.1:19003@100
 * </pre>
 * Each listener has its own event loop(s). {@code HOST:PORT@MS} delays every answer on that listener by {@code MS}
 * milliseconds. Prints {@code READY} once every listener is bound. Runs until killed.
 */
public final class FixedBackend implements AutoCloseable {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 2\r\n"
            + "\r\n"
            + "ok").getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf RESPONSE_BUF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(RESPONSE.length).writeBytes(RESPONSE).asReadOnly());
    private static final String STATS_PATH = "/__bench/stats";

    /** One listener: where, the delay, and its counters. */
    public static final class Listener {
        final InetSocketAddress address;
        final long delayNanos;
        final LongAdder requests = new LongAdder();
        final LongAdder bodyBytes = new LongAdder();
        final LongAdder connections = new LongAdder();

        public Listener(InetSocketAddress address, long delayMillis) {
            this.address = address;
            this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        }

        /** Complete requests answered so far. */
        public long requests() {
            return requests.sum();
        }
    }

    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final List<Channel> servers = new ArrayList<>();
    private final List<Listener> listeners;

    /**
     * Binds every listener (blocking), each on its own event-loop group of {@code threads} threads: the mirror's
     * backends are other services, and their work (100 ms timers, hundreds of connections) must not queue in front of
     * the primary's requests on a shared event loop.
     */
    public FixedBackend(int threads, List<Listener> listeners) throws InterruptedException {
        this.listeners = List.copyOf(listeners);
        for (Listener l : this.listeners) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                    new DefaultThreadFactory("bench-backend-" + l.address.getPort(), true), NioIoHandler.newFactory());
            groups.add(group);
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            l.connections.increment();
                            ch.pipeline()
                                    .addLast(new HttpRequestDecoder(new HttpDecoderConfig()
                                            .setMaxChunkSize(64 * 1024)
                                            .setValidateHeaders(false)))
                                    .addLast(new Handler(l));
                        }
                    });
            servers.add(b.bind(l.address).sync().channel());
        }
    }

    /** The listeners, in the order given. */
    public List<Listener> listeners() {
        return listeners;
    }

    /** The port a listener was bound to (useful with port 0). */
    public int port(int index) {
        return ((InetSocketAddress) servers.get(index).localAddress()).getPort();
    }

    @Override
    public void close() {
        for (Channel c : servers) {
            c.close().awaitUninterruptibly();
        }
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final Listener listener;
        private boolean keepAlive = true;
        private boolean stats;

        Handler(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) {
                    if (req.decoderResult().isFailure()) {
                        ctx.close();
                        return;
                    }
                    keepAlive = HttpUtil.isKeepAlive(req);
                    stats = req.uri().equals(STATS_PATH);
                }
                if (msg instanceof HttpContent content) {
                    listener.bodyBytes.add(content.content().readableBytes());
                    if (content instanceof LastHttpContent) {
                        respond(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            boolean close = !keepAlive;
            if (stats) {
                String json = "{\"requests\":" + listener.requests.sum() + ",\"bodyBytes\":"
                        + listener.bodyBytes.sum() + ",\"connections\":" + listener.connections.sum() + "}";
                byte[] body = json.getBytes(StandardCharsets.US_ASCII);
                ByteBuf head = Unpooled.copiedBuffer(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n"), StandardCharsets.US_ASCII);
                ctx.write(head);
                write(ctx, Unpooled.wrappedBuffer(body), close);
                return;
            }
            listener.requests.increment();
            if (listener.delayNanos == 0) {
                write(ctx, RESPONSE_BUF.duplicate(), close);
            } else {
                ctx.executor().schedule(() -> write(ctx, RESPONSE_BUF.duplicate(), close),
                        listener.delayNanos, TimeUnit.NANOSECONDS);
            }
        }

        private static void write(ChannelHandlerContext ctx, ByteBuf buf, boolean close) {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (close) {
                ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(buf, ctx.voidPromise());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** {@code HOST:PORT} or {@code HOST:PORT@DELAY_MS}. */
    static Listener parse(String spec) {
        long delay = 0;
        int at = spec.indexOf('@');
        String hp = spec;
        if (at >= 0) {
            delay = Long.parseLong(spec.substring(at + 1).replace("ms", ""));
            hp = spec.substring(0, at);
        }
        int colon = hp.lastIndexOf(':');
        return new Listener(new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))),
                delay);
    }

    public static void main(String[] args) throws Exception {
        int threads = 1;
        List<Listener> listeners = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--listen" -> listeners.add(parse(args[++i]));
                default -> {
                    System.err.println("usage: FixedBackend [--threads N] --listen HOST:PORT[@DELAY_MS]...");
                    System.exit(2);
                }
            }
        }
        if (listeners.isEmpty()) {
            listeners.add(parse("127.0.0.1:19001"));
        }
        FixedBackend backend = new FixedBackend(threads, listeners);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
