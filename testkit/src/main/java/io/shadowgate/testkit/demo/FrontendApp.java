package io.shadowgate.testkit.demo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One running instance of the demo shop frontend (see the package documentation for endpoints and the deliberate
 * v1/v2 difference).
 *
 * <p>Threading: owns a small event loop group; request handling runs on it. {@link #port()}, {@link #version()} and
 * {@link #close()} are thread-safe. {@link #close()} blocks (bounded) until the instance is fully stopped.
 *
 * <p>ByteBuf ownership: requests are aggregated (bodies ≤ 1 MiB) and released by the handler after parsing;
 * responses wrap freshly serialised {@code byte[]}s and are released by Netty after writing.
 */
public final class FrontendApp implements AutoCloseable {

    /** Largest accepted request body; carts are tiny, anything bigger is a client bug or an attack. */
    static final int MAX_REQUEST_BODY = 1024 * 1024;

    private final String version;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final Set<Channel> children = ConcurrentHashMap.newKeySet();

    private FrontendApp(String version, String host, int port) {
        this.version = version;
        this.group = new MultiThreadIoEventLoopGroup(2,
                new DefaultThreadFactory("demo-frontend-" + version, true), NioIoHandler.newFactory());
        FrontendHandler handler = new FrontendHandler(version);
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            children.add(ch);
                            ch.closeFuture().addListener(f -> children.remove(ch));
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    // Also answers "Expect: 100-continue" (or 413 when the body is too big).
                                    .addLast(new HttpObjectAggregator(MAX_REQUEST_BODY))
                                    .addLast(handler);
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /**
     * Starts an instance.
     *
     * @param version {@code "v1"} or {@code "v2"}
     * @param host    address to bind, e.g. {@code "127.0.0.1"}
     * @param port    port to bind, 0 for an ephemeral port (read it back with {@link #port()})
     */
    public static FrontendApp start(String version, String host, int port) {
        Objects.requireNonNull(host, "host");
        if (!"v1".equals(version) && !"v2".equals(version)) {
            throw new IllegalArgumentException("version must be \"v1\" or \"v2\": " + version);
        }
        return new FrontendApp(version, host, port);
    }

    public String version() {
        return version;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** {@code host:port} as bound. */
    public String address() {
        InetSocketAddress a = (InetSocketAddress) serverChannel.localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Stops listening, closes connections, stops threads. Idempotent. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Channel ch : children) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "FrontendApp[" + version + " @ " + address() + "]";
    }
}
