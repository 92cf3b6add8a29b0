package io.shadowgate.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.shadowgate.admin.endpoint.ClustersEndpoint;
import io.shadowgate.admin.endpoint.CompareExportEndpoint;
import io.shadowgate.admin.endpoint.CompareReportEndpoint;
import io.shadowgate.admin.endpoint.CompareResetEndpoint;
import io.shadowgate.admin.endpoint.ConfigDumpEndpoint;
import io.shadowgate.admin.endpoint.ConfigEndpoint;
import io.shadowgate.admin.endpoint.HealthzEndpoint;
import io.shadowgate.admin.endpoint.IndexEndpoint;
import io.shadowgate.admin.endpoint.ListenersEndpoint;
import io.shadowgate.admin.endpoint.LoggingEndpoint;
import io.shadowgate.admin.endpoint.PrometheusEndpoint;
import io.shadowgate.admin.endpoint.ReadyEndpoint;
import io.shadowgate.admin.endpoint.RollbackEndpoint;
import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminHttpHandler;
import io.shadowgate.admin.http.AdminRouter;
import io.shadowgate.admin.http.BrowserRequestGuard;
import io.shadowgate.admin.spi.CompareEndpoint;
import io.shadowgate.admin.ui.Dashboard;
import io.shadowgate.admin.ui.SamplePairs;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.control.ConfigRollback;
import io.shadowgate.control.ConfigView;
import io.shadowgate.proxy.ProxyServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server (Envoy's admin, port 15000 on loopback by default).
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.builder()
 *         .bind("127.0.0.1", 15000)
 *         .prometheus(registry)
 *         .proxy(proxy)                       // /clusters, /listeners, /config_dump
 *         .readiness(() -> ready.get())
 *         .config(controller).rollback(controller).compare(compareEndpoint)
 *         .start();
 * ...
 * admin.close();
 * }</pre>
 *
 * <p>Endpoints whose dependency is not given are not registered (they answer 404 and are absent from {@code /}).
 * The web dashboard ({@code /ui/}, {@link Dashboard}) is always served and shows what is registered; every request
 * passes the {@link BrowserRequestGuard} first (other web sites cannot use this API through a browser).
 * One IO thread accepts and decodes ({@code HttpServerCodec} + {@code HttpObjectAggregator} with a small limit);
 * handlers run on one worker thread, so a slow scrape or rollback never stalls the IO thread, and nothing here
 * shares threads with the data path. Idle connections close after 60 s.
 */
public final class AdminServer implements AutoCloseable {

    /** Envoy's admin port in Istio. */
    public static final int DEFAULT_PORT = 15000;
    /** Loopback, as Istio binds Envoy's admin. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Largest admin request accepted (headers aside); larger answers 413. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final EventLoopGroup group;
    private final EventExecutorGroup workers;
    private final Channel channel;
    private final AdminRouter router;

    private AdminServer(EventLoopGroup group, EventExecutorGroup workers, Channel channel, AdminRouter router) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
        this.router = router;
    }

    /** A builder with the defaults ({@code 127.0.0.1:15000}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The bound address (port 0 resolved). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The bound port. */
    public int port() {
        return address().getPort();
    }

    /** The registered paths, in index order. */
    public List<String> paths() {
        return List.copyOf(router.endpoints().keySet());
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Configures and starts an {@link AdminServer}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private boolean allowNonLoopback;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private BooleanSupplier readiness;
        private PrometheusMeterRegistry prometheus;
        private ProxyServer proxy;
        private Supplier<RoutingSnapshot> snapshot;
        private ConfigView config;
        private ConfigRollback rollback;
        private CompareEndpoint compare;
        private boolean logging = true;
        private SamplePairs samplePairs;
        private final Map<String, AdminEndpoint> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** The address to bind ({@code 127.0.0.1}, {@code ::1}, {@code localhost}; others need
         * {@link #allowNonLoopback(boolean)}) and port (0 for an ephemeral one). */
        public Builder bind(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("admin port: " + port + " (expected: 0..65535)");
            }
            this.port = port;
            return this;
        }

        /** {@code host:port}, {@code :port} or {@code [::1]:port}, as the {@code --admin} flag takes it. */
        public Builder bind(String hostPort) {
            String hp = hostPort.trim();
            int colon = hp.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("admin address: " + hostPort + " (expected: host:port)");
            }
            String h = hp.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            int p;
            try {
                p = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("admin address: " + hostPort + " (expected: host:port)", e);
            }
            return bind(h.isEmpty() ? DEFAULT_HOST : h, p);
        }

        /** Allows binding a non-loopback address (the admin API has no authentication: a warning is logged). */
        public Builder allowNonLoopback(boolean allow) {
            this.allowNonLoopback = allow;
            return this;
        }

        /** Largest request body accepted. */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestBytes: " + bytes + " (expected: >= 1024)");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** When {@code /ready} answers 200. Default: as soon as a proxy is given. */
        public Builder readiness(BooleanSupplier ready) {
            this.readiness = ready;
            return this;
        }

        /** Serves {@code /stats/prometheus} and {@code /metrics}. */
        public Builder prometheus(PrometheusMeterRegistry registry) {
            this.prometheus = registry;
            return this;
        }

        /** Serves {@code /clusters}, {@code /listeners} and (unless {@link #snapshot} is set) {@code /config_dump}. */
        public Builder proxy(ProxyServer server) {
            this.proxy = server;
            return this;
        }

        /** The snapshot {@code /config_dump} shows (default: the proxy's current one). */
        public Builder snapshot(Supplier<RoutingSnapshot> current) {
            this.snapshot = current;
            return this;
        }

        /** Serves {@code /config} (the control plane's read-only view). */
        public Builder config(ConfigView view) {
            this.config = view;
            return this;
        }

        /** Serves {@code POST /rollback} and {@code POST /rollback?to=VERSION}. */
        public Builder rollback(ConfigRollback rollback) {
            this.rollback = rollback;
            return this;
        }

        /** Serves {@code /compare}, {@code POST /compare/reset} and {@code /compare/export}. */
        public Builder compare(CompareEndpoint compare) {
            this.compare = compare;
            return this;
        }

        /** Whether {@code /logging} is served (default true). */
        public Builder logging(boolean enabled) {
            this.logging = enabled;
            return this;
        }

        /** Serves {@code /compare/pairs}: whole request/response pairs for the dashboard's example pages. */
        public Builder samplePairs(SamplePairs pairs) {
            this.samplePairs = pairs;
            return this;
        }

        /** Adds an endpoint (registered after the built-in ones; replaces one at the same path). */
        public Builder endpoint(String path, AdminEndpoint endpoint) {
            extra.put(path, endpoint);
            return this;
        }

        /** Builds the router (for tests and embedding without a socket). */
        public AdminRouter router() {
            AdminRouter r = new AdminRouter();
            r.register("/", new IndexEndpoint(r));
            ProxyServer p = proxy;
            BooleanSupplier ready = readiness != null ? readiness : () -> p != null;
            r.register("/ready", new ReadyEndpoint(ready));
            r.register("/healthz", new HealthzEndpoint());
            if (prometheus != null) {
                PrometheusEndpoint h = new PrometheusEndpoint(prometheus);
                r.register("/stats/prometheus", h);
                r.register("/metrics", h);
            }
            Supplier<RoutingSnapshot> s = snapshot != null ? snapshot : p != null ? p::snapshot : null;
            if (s != null) {
                r.register("/config_dump", new ConfigDumpEndpoint(s));
            }
            if (p != null) {
                r.register("/clusters", new ClustersEndpoint(p));
                r.register("/listeners", new ListenersEndpoint(p));
            }
            if (logging) {
                r.register("/logging", new LoggingEndpoint());
            }
            if (config != null) {
                r.register("/config", new ConfigEndpoint(config));
            }
            if (rollback != null) {
                r.register("/rollback", new RollbackEndpoint(rollback));
            }
            if (compare != null) {
                r.register("/compare", new CompareReportEndpoint(compare));
                r.register("/compare/reset", new CompareResetEndpoint(compare));
                r.register("/compare/export", new CompareExportEndpoint(compare));
            }
            Dashboard.register(r, prometheus, samplePairs);
            r.guard(new BrowserRequestGuard(Set.of(host)));
            extra.forEach(r::register);
            return r;
        }

        /**
         * Binds and starts serving.
         *
         * @throws IllegalArgumentException for a non-loopback address without {@link #allowNonLoopback(boolean)}
         * @throws IllegalStateException    when the address cannot be bound
         */
        public AdminServer start() {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("admin address " + host + ": unknown host", e);
            }
            if (!address.isLoopbackAddress()) {
                if (!allowNonLoopback) {
                    throw new IllegalArgumentException("admin address " + host + " is not a loopback address: the "
                            + "admin API has no authentication (expected: 127.0.0.1, ::1 or localhost, or allow "
                            + "non-loopback explicitly)");
                }
                log.warn("admin server bound to non-loopback address {}:{}: anyone who can reach it can change log "
                        + "levels, roll back config and read the config dump", host, port);
            }
            AdminRouter r = router();
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                    new DefaultThreadFactory("shadowgate-admin-io", true), NioIoHandler.newFactory());
            EventExecutorGroup workers = new DefaultEventExecutorGroup(1,
                    new DefaultThreadFactory("shadowgate-admin-worker", true));
            AdminHttpHandler handler = new AdminHttpHandler(r, workers.next());
            int limit = maxRequestBytes;
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new ReadTimeoutHandler(60))
                                    .addLast(new HttpServerCodec(4096, 16 * 1024, 8192))
                                    .addLast(new HttpObjectAggregator(limit))
                                    .addLast("admin", handler);
                        }
                    });
            try {
                Channel ch = b.bind(new InetSocketAddress(address, port)).sync().channel();
                AdminServer server = new AdminServer(group, workers, ch, r);
                log.info("admin server listening on {} ({} endpoints)", ch.localAddress(), r.endpoints().size());
                return server;
            } catch (Exception e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("admin server cannot listen on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
