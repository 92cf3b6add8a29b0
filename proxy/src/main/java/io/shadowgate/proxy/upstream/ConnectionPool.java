package io.shadowgate.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.proxy.runtime.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 keep-alive connections to upstream endpoints, kept per event loop so a connection is only ever touched by
 * one thread. Primary traffic and mirrors use separate instances, so a slow mirror can never hold a connection the
 * primary is waiting for.
 *
 * <p>Pipeline of an upstream connection, in order: {@code idle} ({@link IdleStateHandler}, all-idle = the pool's idle
 * timeout), {@code codec} ({@link HttpClientCodec} with bounded line and header sizes), {@code upstream}
 * ({@link UpstreamHandler}).
 */
public final class ConnectionPool {

    /** Upstream response line and header limits: a hostile upstream cannot make us buffer without bound. */
    private static final int MAX_RESPONSE_LINE = 8 * 1024;
    private static final int MAX_RESPONSE_HEADERS = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final Transport transport;
    private final boolean autoRead;
    private final String name;
    private final Map<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();

    /**
     * @param transport the Netty transport (same as the server's)
     * @param autoRead  {@code false} for primary connections (reads follow client writability); {@code true} for
     *                  mirrors, whose responses are drained as fast as they come
     * @param name      {@code primary} or {@code mirror}, for logs
     */
    public ConnectionPool(Transport transport, boolean autoRead, String name) {
        this.transport = transport;
        this.autoRead = autoRead;
        this.name = name;
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /**
     * A connection to {@code endpoint} on {@code loop}, leased to {@code listener}: an idle one if there is one,
     * else a new one. Must be called on {@code loop}. The future fails on connect failure, connect timeout, or when
     * the cluster's {@code maxConnections} is reached ({@link OverflowException}).
     */
    public Future<Channel> acquire(EventLoop loop, UpstreamCluster cluster, UpstreamEndpoint endpoint,
                                   UpstreamListener listener) {
        LoopPool pool = loops.computeIfAbsent(loop, LoopPool::new);
        ArrayDeque<Channel> idle = pool.idle.get(endpoint.address());
        while (idle != null && !idle.isEmpty()) {
            Channel ch = idle.pollFirst();
            if (ch.isActive()) {
                ch.pipeline().get(UpstreamHandler.class).lease(listener);
                return loop.newSucceededFuture(ch);
            }
        }
        ConnectionPoolConfig limits = cluster.config().connectionPool();
        if (cluster.connections().get() >= limits.maxConnections()) {
            return loop.newFailedFuture(new OverflowException(cluster.config().name()));
        }
        cluster.connections().incrementAndGet();
        Promise<Channel> promise = loop.newPromise();
        UpstreamHandler handler = new UpstreamHandler(endpoint.address());
        long idleMillis = limits.idleTimeout().toMillis();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        limits.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                                .addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_RESPONSE_LINE)
                                        .setMaxHeaderSize(MAX_RESPONSE_HEADERS)
                                        .setMaxChunkSize(MAX_CHUNK), false, false))
                                .addLast("upstream", handler);
                    }
                });
        ChannelFuture cf = b.connect(endpoint.address());
        Channel created = cf.channel();
        created.closeFuture().addListener(f -> {
            cluster.connections().decrementAndGet();
            ArrayDeque<Channel> q = pool.idle.get(endpoint.address());
            if (q != null) {
                q.remove(created);
            }
        });
        cf.addListener(f -> {
            if (f.isSuccess()) {
                handler.lease(listener);
                promise.trySuccess(cf.channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    /**
     * Returns a connection after a complete exchange. It goes back to the idle list only when it is active,
     * nothing marked it unusable, and {@code maxRequestsPerConnection} allows another request; otherwise it closes.
     * Must be called on the connection's event loop.
     */
    public void release(Channel ch, UpstreamCluster cluster, boolean reusable) {
        UpstreamHandler handler = ch.pipeline().get(UpstreamHandler.class);
        if (handler == null) {
            ch.close();
            return;
        }
        handler.release();
        int maxPerConn = cluster.config().connectionPool().maxRequestsPerConnection();
        if (!reusable || !handler.reusable() || !ch.isActive()
                || (maxPerConn > 0 && handler.requests() >= maxPerConn)) {
            ch.close();
            return;
        }
        LoopPool pool = loops.computeIfAbsent(ch.eventLoop(), LoopPool::new);
        pool.idle.computeIfAbsent(handler.endpointAddress(), k -> new ArrayDeque<>()).addFirst(ch);
    }

    /** Closes every idle connection (shutdown). */
    public void closeIdle() {
        for (LoopPool pool : loops.values()) {
            pool.loop.execute(() -> {
                for (ArrayDeque<Channel> q : pool.idle.values()) {
                    for (Channel ch : q.toArray(new Channel[0])) {
                        ch.close();
                    }
                }
            });
        }
    }

    /** Idle connections of one event loop. Only that loop touches it. */
    private static final class LoopPool {
        final EventLoop loop;
        final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

        LoopPool(EventLoop loop) {
            this.loop = loop;
        }
    }

    /** The cluster's connection limit was reached: Envoy answers 503 with flag {@code UO}. */
    public static final class OverflowException extends Exception {
        private static final long serialVersionUID = 1L;

        OverflowException(String cluster) {
            super("upstream connection limit reached for " + cluster, null, false, false);
        }
    }
}
