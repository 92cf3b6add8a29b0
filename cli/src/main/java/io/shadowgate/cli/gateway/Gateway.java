package io.shadowgate.cli.gateway;

import io.shadowgate.cli.commands.GatewayOptions;
import io.shadowgate.cli.commands.HostPort;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.proxy.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.Transport;
import io.shadowgate.proxy.telemetry.ProxyObserver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: config lifecycle, proxy, telemetry, comparison and admin server, started in that order and
 * stopped in reverse. {@link #awaitShutdown()} blocks until SIGTERM/SIGINT (or {@link #close()}), then drains.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final ConfigLifecycle config;
    private final ProxyServer proxy;
    private final GatewayServices services;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private Gateway(ConfigLifecycle config, ProxyServer proxy, GatewayServices services) {
        this.config = config;
        this.proxy = proxy;
        this.services = services;
    }

    /** Compile options for the {@code --listen} address. */
    public static CompileOptions compileOptions(GatewayOptions options, List<String> sources) {
        HostPort listen = HostPort.parse(options.listen, "0.0.0.0");
        return CompileOptions.defaults().withListen(listen.host(), listen.port()).withSourceNames(sources);
    }

    /**
     * Starts a gateway from files. Any error in the config stops start-up: the messages are printed to
     * {@code err} and {@code null} is returned.
     */
    public static Gateway startFromFiles(List<Path> paths, GatewayOptions options, PrintStream err) {
        List<String> sources = paths.stream().map(Path::toString).toList();
        ConfigLifecycle[] holder = new ConfigLifecycle[1];
        ProxyServer[] proxy = new ProxyServer[1];
        holder[0] = ConfigLifecycle.forPaths(paths, compileOptions(options, sources), s -> proxy[0].apply(s));
        return start(holder[0], proxy, options, err, true);
    }

    /** Starts a gateway from a built-in YAML document (the demo). */
    public static Gateway startFromString(String name, String yaml, GatewayOptions options, PrintStream err) {
        ProxyServer[] proxy = new ProxyServer[1];
        ConfigLifecycle lifecycle = ConfigLifecycle.forString(name, yaml,
                compileOptions(options, List.of(name)), s -> proxy[0].apply(s));
        return start(lifecycle, proxy, options, err, false);
    }

    private static Gateway start(ConfigLifecycle lifecycle, ProxyServer[] proxy, GatewayOptions options,
                                 PrintStream err, boolean watch) {
        CompileResult result = lifecycle.compileOnly();
        boolean errors = false;
        for (Diagnostic d : result.diagnostics()) {
            if (d.severity() == Severity.ERROR) {
                errors = true;
                err.println(d.format());
            } else if (d.severity() == Severity.WARNING) {
                log.warn("{}", d.format());
            }
        }
        if (errors || result.snapshot() == null) {
            err.println("shadowgate: the configuration has errors; nothing was started.");
            lifecycle.close();
            return null;
        }
        RoutingSnapshot snapshot = result.snapshot();
        try {
            Transport.prefer(options.transport);
        } catch (IllegalArgumentException e) {
            lifecycle.close();
            err.println("shadowgate: " + e.getMessage());
            return null;
        }
        ProxyOptions proxyOptions = options.proxyOptions();
        GatewayServices services = GatewayServices.create(options);
        try {
            proxy[0] = ProxyServer.start(snapshot, proxyOptions, services.observer(), RandomSource.THREAD_LOCAL,
                    services.tracer());
        } catch (RuntimeException e) {
            services.close();
            lifecycle.close();
            err.println("shadowgate: " + e.getMessage());
            return null;
        }
        lifecycle.initial(snapshot);
        Gateway gateway = new Gateway(lifecycle, proxy[0], services);
        try {
            services.startAdmin(options, proxy[0], lifecycle);
        } catch (RuntimeException e) {
            err.println("shadowgate: " + e.getMessage());
            gateway.close();
            return null;
        }
        if (watch) {
            lifecycle.watch(Duration.ofMillis(500));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shadowgate-shutdown"));
        return gateway;
    }

    /** The proxy. */
    public ProxyServer proxy() {
        return proxy;
    }

    /** The config lifecycle (history, rollback). */
    public ConfigLifecycle config() {
        return config;
    }

    /** Telemetry, comparison and admin. */
    public GatewayServices services() {
        return services;
    }

    /** Blocks until the gateway is closed (SIGTERM/SIGINT run {@link #close()} through a shutdown hook). */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Drains the proxy (listeners stop accepting, in-flight requests finish within the grace) and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("shutting down: draining for up to {}",
                io.shadowgate.config.model.Durations.format(proxy.options().drainTimeout()));
        services.markNotReady();
        config.close();
        proxy.close();
        services.close();
        stopped.countDown();
    }
}
