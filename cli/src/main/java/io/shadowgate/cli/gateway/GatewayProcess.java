package io.shadowgate.cli.gateway;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.source.ConfigSource;
import io.shadowgate.control.ConfigController;
import io.shadowgate.control.ConfigEvent;
import io.shadowgate.control.ConfigOutcome;
import io.shadowgate.control.source.FileConfigSource;
import io.shadowgate.control.source.StaticConfigSource;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.Transport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway process: the control plane, the proxy, telemetry, comparison and admin server, started in that
 * order and stopped in reverse. The proxy's apply hook is a subscriber of the {@link ConfigController}: every
 * snapshot the controller publishes (a reload, a rollback) is swapped in atomically. {@link #awaitShutdown()} blocks
 * until SIGTERM/SIGINT (or {@link #close()}), then drains.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayProcess.class);

    private final ConfigController config;
    private final ProxyServer proxy;
    private final GatewayServices services;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private GatewayProcess(ConfigController config, ProxyServer proxy, GatewayServices services) {
        this.config = config;
        this.proxy = proxy;
        this.services = services;
    }

    /** Compile options for the mesh-mode listener address. */
    public static CompileOptions compileOptions(GatewaySpec spec) {
        return CompileOptions.defaults().withListen(spec.listenHost(), spec.listenPort());
    }

    /**
     * Creates the config sources of a gateway, once its services exist (a source may register metrics with
     * {@link GatewayServices#registry()}).
     */
    @FunctionalInterface
    public interface SourceFactory {
        /** The sources, merged in this order (a later resource of the same kind, namespace and name wins). */
        List<ConfigSource> create(GatewayServices services);
    }

    /** Starts a gateway from files and directories, watched and hot-reloaded. */
    public static GatewayProcess startFromFiles(List<Path> paths, GatewaySpec spec, PrintStream err) {
        return start(services -> List.of(new FileConfigSource(paths, spec.pollInterval())), spec, err);
    }

    /** Starts a gateway from a built-in YAML document (the demo). */
    public static GatewayProcess startFromString(String name, String yaml, GatewaySpec spec, PrintStream err) {
        return start(services -> List.of(new StaticConfigSource(name, yaml)), spec, err);
    }

    /**
     * Starts a gateway from the sources {@code factory} creates. A first configuration with errors stops start-up
     * (unless the spec's error policy applies it anyway): the messages are printed to {@code err} and {@code null}
     * is returned. {@code /ready} answers 200 once every source has delivered a complete content that was accepted.
     */
    public static GatewayProcess start(SourceFactory factory, GatewaySpec spec, PrintStream err) {
        Transport transport;
        try {
            transport = Transport.prefer(spec.transport());
        } catch (IllegalArgumentException e) {
            err.println("shadowgate: " + e.getMessage());
            return null;
        }
        // The proxy takes its transport as an option (it no longer reads the process-wide choice).
        ProxyOptions proxyOptions = spec.proxy().toBuilder().transport(transport).build();
        GatewayServices services = GatewayServices.create(spec);
        ConfigController controller;
        try {
            ConfigController.Builder b = ConfigController.builder().compileOptions(compileOptions(spec))
                    .errorPolicy(spec.errorPolicy());
            factory.create(services).forEach(b::source);
            controller = b.build();
        } catch (RuntimeException e) {
            services.close();
            err.println("shadowgate: cannot set up the config sources: " + e.getMessage());
            return null;
        }
        ConfigEvent first = controller.start();
        for (Diagnostic d : first.diagnostics()) {
            if (d.severity() == Severity.ERROR) {
                err.println(d.format());
            }
        }
        if (first.outcome() == ConfigOutcome.REJECTED) {
            first.notes().stream().skip(1).forEach(n -> err.println("shadowgate: " + n));
            err.println("shadowgate: the configuration has errors; nothing was started.");
            controller.close();
            services.close();
            return null;
        }
        for (String n : first.notes()) {
            err.println("shadowgate: warning: " + n);
        }
        ProxyServer proxy;
        try {
            proxy = ProxyServer.start(controller.current(), proxyOptions, services.observer(),
                    RandomSource.THREAD_LOCAL, services.tracer());
        } catch (RuntimeException e) {
            services.close();
            controller.close();
            err.println("shadowgate: " + e.getMessage());
            return null;
        }
        controller.subscribe(proxy::apply);
        GatewayProcess gateway = new GatewayProcess(controller, proxy, services);
        try {
            services.startAdmin(spec, proxy, controller);
        } catch (RuntimeException e) {
            err.println("shadowgate: " + e.getMessage());
            gateway.close();
            return null;
        }
        controller.watch();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shadowgate-shutdown"));
        return gateway;
    }

    /** The proxy. */
    public ProxyServer proxy() {
        return proxy;
    }

    /** The control plane (versions, history, rollback). */
    public ConfigController config() {
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
