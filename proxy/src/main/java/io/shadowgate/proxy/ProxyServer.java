package io.shadowgate.proxy;

import io.shadowgate.proxy.options.ProxyOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.proxy.mirror.MirrorDispatcher;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.SnapshotHolder;
import io.shadowgate.proxy.runtime.Transport;
import io.shadowgate.proxy.server.ClientChannelInitializer;
import io.shadowgate.proxy.server.ProxyRuntime;
import io.shadowgate.proxy.observe.ClusterView;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.upstream.ClusterManager;
import io.shadowgate.proxy.upstream.ConnectionPool;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's data plane: event loops, one listener per {@link ListenerConfig} of the current snapshot, upstream
 * pools and the mirror dispatcher.
 *
 * <p>{@link #apply(RoutingSnapshot)} swaps the snapshot atomically and binds or closes listeners whose ports appeared
 * or disappeared; connections on a closed listener finish their current request. {@link #shutdown(Duration)} drains:
 * listeners stop accepting, idle connections close, in-flight requests finish within the grace period.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyOptions options;
    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final SnapshotHolder snapshots;
    private final ClusterManager clusters;
    private final ConnectionPool primaryPool;
    private final ConnectionPool mirrorPool;
    private final MirrorDispatcher mirrors;
    private final ProxyRuntime runtime;
    private final ChannelGroup clientChannels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> listeners = new LinkedHashMap<>();
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    private ProxyServer(RoutingSnapshot initial, ProxyOptions options, ProxyObserver observer, RandomSource random,
                        RequestTracer tracer, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = options.transportOrBest();
        int threads = options.ioThreads() > 0 ? options.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.bossGroup = transport.newGroup(1, "shadowgate-accept");
        this.workerGroup = transport.newGroup(threads, "shadowgate-io");
        this.snapshots = new SnapshotHolder(initial);
        this.clusters = new ClusterManager(workerGroup, transport, Duration.ofSeconds(5), random);
        this.primaryPool = new ConnectionPool(transport, false, "primary");
        this.mirrorPool = new ConnectionPool(transport, true, "mirror");
        this.mirrors = new MirrorDispatcher(options, clusters, mirrorPool, observer, random);
        this.runtime = new ProxyRuntime(options, snapshots, clusters, primaryPool, mirrors, observer, random, tracer,
                clock);
        clusters.update(initial);
    }

    /**
     * Starts a proxy serving {@code initial}: binds every listener before returning.
     *
     * @throws IllegalStateException when a listener cannot bind (the message names the address)
     */
    public static ProxyServer start(RoutingSnapshot initial, ProxyOptions options, ProxyObserver observer,
                                    RandomSource random) {
        return start(initial, options, observer, random, RequestTracer.NOOP);
    }

    /** Starts a proxy with tracing. */
    public static ProxyServer start(RoutingSnapshot initial, ProxyOptions options, ProxyObserver observer,
                                    RandomSource random, RequestTracer tracer) {
        return start(initial, options, observer, random, tracer, Clock.systemUTC());
    }

    /**
     * Starts a proxy with an injected random source (per-request decisions, faults, retry jitter, noise samples)
     * and wall clock (request timestamps), so tests can make both exact.
     */
    public static ProxyServer start(RoutingSnapshot initial, ProxyOptions options, ProxyObserver observer,
                                    RandomSource random, RequestTracer tracer, Clock clock) {
        ProxyServer server = new ProxyServer(initial, options, observer, random, tracer, clock);
        try {
            server.reconcileListeners(initial);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        observer.onSnapshot(initial.version());
        return server;
    }

    /** Makes {@code next} the current snapshot (atomically) and binds its new listeners. */
    public void apply(RoutingSnapshot next) {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            clusters.update(next);
            reconcileListeners(next);
            snapshots.swap(next);
        }
        runtime.observer().onSnapshot(next.version());
    }

    private void reconcileListeners(RoutingSnapshot snapshot) {
        synchronized (lifecycle) {
            Map<String, ListenerConfig> wanted = new LinkedHashMap<>();
            for (ListenerConfig l : snapshot.listeners()) {
                wanted.put(key(l), l);
            }
            for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!wanted.containsKey(e.getKey())) {
                    log.info("closing listener {}", e.getKey());
                    e.getValue().close();
                    it.remove();
                }
            }
            for (var e : wanted.entrySet()) {
                if (!listeners.containsKey(e.getKey())) {
                    listeners.put(e.getKey(), bind(e.getValue()));
                }
            }
        }
    }

    private static String key(ListenerConfig l) {
        return l.bindHost() + ":" + l.port();
    }

    private Channel bind(ListenerConfig l) {
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ClientChannelInitializer(runtime, l.port(), clientChannels));
        try {
            Channel ch = b.bind(l.bindHost(), l.port()).sync().channel();
            log.info("listener {} bound to {}", l.name(), ch.localAddress());
            return ch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + l.bindHost() + ":" + l.port(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + l.bindHost() + ":" + l.port() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The addresses the listeners are bound to, in snapshot order (resolves port 0 to the real port). */
    public List<InetSocketAddress> boundAddresses() {
        synchronized (lifecycle) {
            List<InetSocketAddress> out = new ArrayList<>();
            for (Channel ch : listeners.values()) {
                out.add((InetSocketAddress) ch.localAddress());
            }
            return out;
        }
    }

    /** The real port of the first listener. */
    public int port() {
        return boundAddresses().get(0).getPort();
    }

    /** The current snapshot. */
    public RoutingSnapshot snapshot() {
        return snapshots.get();
    }

    /** Runtime cluster state, for {@code /clusters}. */
    public ClusterManager clusters() {
        return clusters;
    }

    /** Read-only views of the clusters by name (a moment's copy of the map), for the admin API and metrics. */
    public java.util.Map<String, ClusterView> clusterViews() {
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(clusters.all()));
    }

    /** A read-only view of one cluster, or {@code null}. */
    public ClusterView clusterView(String name) {
        return clusters.get(name);
    }

    /** The mirror dispatcher (budgets), for metrics and tests. */
    public MirrorDispatcher mirrors() {
        return mirrors;
    }

    /** Requests in flight. */
    public int activeRequests() {
        return runtime.activeExchanges().get();
    }

    /** Request body bytes currently kept for retries (budget: {@code retryGlobalBufferBytes}), for metrics and tests. */
    public long retryBufferedBytes() {
        return runtime.retryBufferedBytes().get();
    }

    /** Open client connections. */
    public int openConnections() {
        return clientChannels.size();
    }

    /** The options this proxy runs with. */
    public ProxyOptions options() {
        return options;
    }

    /**
     * Drains and stops: listeners stop accepting at once, idle connections close, in-flight requests get up to
     * {@code grace} to finish (their responses carry {@code connection: close}); then everything closes.
     */
    public void shutdown(Duration grace) {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            runtime.startDraining();
            for (Channel l : listeners.values()) {
                l.close().syncUninterruptibly();
            }
            listeners.clear();
        }
        for (Channel ch : clientChannels) {
            ch.eventLoop().execute(() -> ClientChannelInitializer.drain(ch));
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (runtime.activeExchanges().get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (runtime.activeExchanges().get() > 0) {
            log.warn("drain grace of {} expired with {} request(s) in flight", grace, runtime.activeExchanges().get());
        }
        clientChannels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        primaryPool.closeIdle();
        mirrorPool.closeIdle();
        clusters.close();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Shuts down with the configured drain timeout. */
    @Override
    public void close() {
        shutdown(options.drainTimeout());
    }
}
