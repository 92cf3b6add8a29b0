package io.shadowgate.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.proxy.runtime.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to upstream endpoints in one protocol ({@link UpstreamCodec}: HTTP/1.1 today), kept per
 * event loop so a connection is only ever touched by one thread. Primary traffic and mirrors use separate instances,
 * so a slow mirror can never hold a connection the primary is waiting for; another protocol is another instance.
 *
 * <p>Pipeline of an upstream connection: the codec's ({@link Http1UpstreamCodec}: {@code idle}, {@code codec}),
 * then {@code upstream} ({@link UpstreamHandler}); names in {@link io.shadowgate.proxy.runtime.PipelineNames}.
 */
public final class ConnectionPool {

    /** Largest decoded response chunk and socket read (the client side's too). */
    static final int MAX_CHUNK = 256 * 1024;
    /** Adaptive read sizes from 64 B to {@link #MAX_CHUNK}, starting at 16 KiB; stateless, shared. */
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 16 * 1024,
            MAX_CHUNK);

    private final Transport transport;
    private final boolean autoRead;
    private final String name;
    private final UpstreamCodec codec;
    private final Map<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();
    /** Requests waiting for a connection because the cluster is at {@code maxConnections}, oldest first. */
    private final Map<UpstreamCluster, Deque<Waiter>> waiters = new ConcurrentHashMap<>();

    /**
     * @param transport the Netty transport (same as the server's)
     * @param autoRead  {@code false} for primary connections (reads follow client writability); {@code true} for
     *                  mirrors, whose responses are drained as fast as they come
     * @param name      {@code primary} or {@code mirror}, for logs
     */
    public ConnectionPool(Transport transport, boolean autoRead, String name) {
        this(transport, autoRead, name, Http1UpstreamCodec.INSTANCE);
    }

    /**
     * @param transport the Netty transport (same as the server's)
     * @param autoRead  see {@link #ConnectionPool(Transport, boolean, String)}
     * @param name      for logs
     * @param codec     the protocol of this pool's connections
     */
    public ConnectionPool(Transport transport, boolean autoRead, String name, UpstreamCodec codec) {
        this.transport = transport;
        this.autoRead = autoRead;
        this.name = name;
        this.codec = codec;
    }

    /** The protocol this pool's connections speak. */
    public UpstreamProtocol protocol() {
        return codec.protocol();
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /**
     * A connection to {@code endpoint} on {@code loop}, leased to {@code listener}: an idle one if there is one,
     * else a new one. Must be called on {@code loop}. The future fails on connect failure or connect timeout.
     *
     * <p>When the cluster is at {@code maxConnections} the request waits as <em>pending</em> (Envoy's HTTP/1 pool):
     * it gets the first connection released for its endpoint on its loop, or the first free slot. The future fails
     * with {@link OverflowException} at once when {@code http1MaxPendingRequests} requests already wait, and when a
     * request waited {@code connectTimeout} without a connection. Cancelling the future withdraws the request.
     */
    public Future<Channel> acquire(EventLoop loop, UpstreamCluster cluster, UpstreamEndpoint endpoint,
                                   UpstreamListener listener) {
        Channel idle = pollIdle(loop, endpoint);
        if (idle != null) {
            idle.pipeline().get(UpstreamHandler.class).lease(listener);
            return loop.newSucceededFuture(idle);
        }
        ConnectionPoolConfig limits = cluster.config().connectionPool();
        if (cluster.connections().get() >= limits.maxConnections()) {
            cluster.stats().connectionOverflow.increment();
            return enqueue(loop, cluster, endpoint, listener, limits);
        }
        Promise<Channel> promise = loop.newPromise();
        connect(loop, cluster, endpoint, listener, promise);
        return promise;
    }

    private Channel pollIdle(EventLoop loop, UpstreamEndpoint endpoint) {
        LoopPool pool = loops.computeIfAbsent(loop, LoopPool::new);
        ArrayDeque<Channel> idle = pool.idle.get(endpoint.address());
        while (idle != null && !idle.isEmpty()) {
            Channel ch = idle.pollFirst();
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    private Future<Channel> enqueue(EventLoop loop, UpstreamCluster cluster, UpstreamEndpoint endpoint,
                                    UpstreamListener listener, ConnectionPoolConfig limits) {
        if (cluster.pendingRequests().get() >= limits.maxPendingRequests()) {
            cluster.stats().pendingOverflow.increment();
            return loop.newFailedFuture(new OverflowException(cluster.config().name()));
        }
        Promise<Channel> promise = loop.newPromise();
        Waiter w = new Waiter(loop, cluster, endpoint, listener, promise);
        Deque<Waiter> q = waiters.computeIfAbsent(cluster, k -> new ConcurrentLinkedDeque<>());
        cluster.pendingRequests().incrementAndGet();
        q.addLast(w);
        w.timer = loop.schedule(() -> {
            if (promise.tryFailure(new OverflowException(cluster.config().name()))) {
                cluster.stats().pendingTimeout.increment();
            }
        }, Math.max(1, limits.connectTimeout().toMillis()), TimeUnit.MILLISECONDS);
        promise.addListener(f -> {
            // Whatever the outcome (connection, timeout, cancel): no longer pending.
            w.timer.cancel(false);
            q.remove(w);
            cluster.pendingRequests().decrementAndGet();
        });
        // A connection may have closed between the limit check and the enqueue.
        if (cluster.connections().get() < limits.maxConnections()) {
            serveWaiter(cluster);
        }
        return promise;
    }

    /** A connection slot of {@code cluster} freed up: the oldest pending request gets it (on its own loop). */
    private void serveWaiter(UpstreamCluster cluster) {
        Deque<Waiter> q = waiters.get(cluster);
        if (q == null) {
            return;
        }
        Waiter w;
        while ((w = q.pollFirst()) != null) {
            if (!w.promise.isDone()) {
                Waiter chosen = w;
                chosen.loop.execute(() -> serve(chosen));
                return;
            }
        }
    }

    /** On the waiter's loop: an idle connection, else a new one if a slot is free, else back to the queue head. */
    private void serve(Waiter w) {
        if (w.promise.isDone()) {
            serveWaiter(w.cluster);
            return;
        }
        Channel idle = pollIdle(w.loop, w.endpoint);
        if (idle != null) {
            idle.pipeline().get(UpstreamHandler.class).lease(w.listener);
            if (!w.promise.trySuccess(idle)) {
                release(idle, w.cluster, true);
            }
            return;
        }
        if (w.cluster.connections().get() < w.cluster.config().connectionPool().maxConnections()) {
            connect(w.loop, w.cluster, w.endpoint, w.listener, w.promise);
            return;
        }
        waiters.computeIfAbsent(w.cluster, k -> new ConcurrentLinkedDeque<>()).addFirst(w);
    }

    /** Opens a new connection for {@code listener} and completes {@code promise} with it. */
    /** Response decoding: bounded line, headers and chunks; names lower-cased as decoded (edited in place). */
    private void connect(EventLoop loop, UpstreamCluster cluster, UpstreamEndpoint endpoint,
                         UpstreamListener listener, Promise<Channel> promise) {
        LoopPool pool = loops.computeIfAbsent(loop, LoopPool::new);
        ConnectionPoolConfig limits = cluster.config().connectionPool();
        cluster.connections().incrementAndGet();
        UpstreamHandler handler = new UpstreamHandler(endpoint.address());
        long idleMillis = limits.idleTimeout().toMillis();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        limits.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        codec.addTo(ch.pipeline(), idleMillis, handler);
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
            serveWaiter(cluster);
        });
        cf.addListener(f -> {
            if (f.isSuccess()) {
                handler.lease(listener);
                if (!promise.trySuccess(cf.channel())) {
                    // Withdrawn while connecting (a pending request that timed out or was cancelled).
                    release(cf.channel(), cluster, true);
                }
            } else {
                promise.tryFailure(f.cause());
            }
        });
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
        if (handOver(ch, handler, cluster)) {
            return;
        }
        LoopPool pool = loops.computeIfAbsent(ch.eventLoop(), LoopPool::new);
        pool.idle.computeIfAbsent(handler.endpointAddress(), k -> new ArrayDeque<>()).addFirst(ch);
    }

    /**
     * Gives a released connection to a pending request for the same endpoint on the same loop; when requests wait
     * but none can use it, closes it so its slot goes to them. Returns whether the connection was taken.
     */
    private boolean handOver(Channel ch, UpstreamHandler handler, UpstreamCluster cluster) {
        Deque<Waiter> q = waiters.get(cluster);
        if (q == null || q.isEmpty()) {
            return false;
        }
        boolean waiting = false;
        for (Waiter w : q) {
            if (w.promise.isDone()) {
                continue;
            }
            waiting = true;
            if (w.loop == ch.eventLoop() && w.endpoint.address().equals(handler.endpointAddress()) && q.remove(w)) {
                handler.lease(w.listener);
                if (w.promise.trySuccess(ch)) {
                    return true;
                }
                handler.release();
            }
        }
        if (waiting) {
            ch.close();
            return true;
        }
        return false;
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

    /** A request waiting for a connection slot of its cluster. Completed on its own loop. */
    private static final class Waiter {
        final EventLoop loop;
        final UpstreamCluster cluster;
        final UpstreamEndpoint endpoint;
        final UpstreamListener listener;
        final Promise<Channel> promise;
        io.netty.util.concurrent.ScheduledFuture<?> timer;

        Waiter(EventLoop loop, UpstreamCluster cluster, UpstreamEndpoint endpoint, UpstreamListener listener,
               Promise<Channel> promise) {
            this.loop = loop;
            this.cluster = cluster;
            this.endpoint = endpoint;
            this.listener = listener;
            this.promise = promise;
        }
    }

    /**
     * A circuit breaker refused the connection: too many pending requests, or a pending request waited too long.
     * Envoy answers 503 with flag {@code UO}.
     */
    public static final class OverflowException extends Exception {
        private static final long serialVersionUID = 1L;

        OverflowException(String cluster) {
            super("upstream connection limit reached for " + cluster, null, false, false);
        }
    }
}
