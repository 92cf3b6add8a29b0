package io.shadowgate.cli.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.admin.AdminServer;
import io.shadowgate.admin.spi.CompareEndpoint;
import io.shadowgate.admin.spi.ConfigEvent;
import io.shadowgate.admin.spi.ConfigStatus;
import io.shadowgate.admin.spi.Rollback;
import io.shadowgate.admin.ui.Dashboard;
import io.shadowgate.cli.commands.GatewayOptions;
import io.shadowgate.compare.engine.ComparisonEngine;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.telemetry.CompositeObserver;
import io.shadowgate.proxy.telemetry.ProxyObserver;
import io.shadowgate.proxy.telemetry.RequestTracer;
import io.shadowgate.telemetry.accesslog.AccessLog;
import io.shadowgate.telemetry.metrics.IstioMetrics;
import io.shadowgate.telemetry.tracing.OtelTracer;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything around the proxy: metrics, access log, tracing, the comparison engine, and the admin server that shows
 * them. Built before the proxy (its observer and tracer go into the data path), the admin server started after.
 */
public final class GatewayServices implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final IstioMetrics metrics;
    private final AccessLog accessLog;
    private final OtelTracer tracer;
    private final ComparisonEngine compare;
    private final CompareBridge compareBridge;
    private final RetainedPairs retainedPairs;
    private final ProxyObserver observer;
    private AdminServer admin;
    private final CompareRouteRules routeRules;
    private volatile boolean ready;

    private GatewayServices(PrometheusMeterRegistry registry, IstioMetrics metrics, AccessLog accessLog,
                            OtelTracer tracer, ComparisonEngine compare, CompareRouteRules routeRules) {
        this.registry = registry;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.tracer = tracer;
        this.compare = compare;
        this.routeRules = routeRules;
        this.retainedPairs = new RetainedPairs(compare, RetainedPairs.DEFAULT_CAPACITY, RetainedPairs.DEFAULT_MAX_BYTES);
        this.compareBridge = new CompareBridge(compare, retainedPairs, routeRules);
        // Access log first: once a metric shows a request, its log line is already queued. An access log that is off
        // is left out, so a request does not pay a call that does nothing.
        this.observer = new CompositeObserver(accessLog.enabled() ? List.of(accessLog, metrics, compareBridge)
                : List.of(metrics, compareBridge));
    }

    /** Builds the services the options ask for. */
    public static GatewayServices create(GatewayOptions options) {
        PrometheusMeterRegistry registry = IstioMetrics.newPrometheusRegistry();
        IstioMetrics metrics = new IstioMetrics(registry, options.gatewayIdentity()).bindJvmMetrics();
        AccessLog accessLog = AccessLog.create(options.accessLog, options.accessLogFormat).bindMetrics(registry);
        OtelTracer tracer = OtelTracer.create(options.tracingOptions());
        CompareRouteRules routeRules = new CompareRouteRules();
        ComparisonEngine compare = ComparisonEngine.create(options.compareSettings(routeRules::overrides), registry);
        return new GatewayServices(registry, metrics, accessLog, tracer, compare, routeRules);
    }

    /** The observer the data path reports to. */
    public ProxyObserver observer() {
        return observer;
    }

    /** The tracer the data path uses. */
    public RequestTracer tracer() {
        return tracer;
    }

    /** Starts the admin server for a running proxy and config lifecycle; marks the gateway ready. */
    void startAdmin(GatewayOptions options, ProxyServer proxy, ConfigLifecycle config) {
        metrics.bindProxy(proxy);
        routeRules.bind(proxy::snapshot, compare.settings());
        metrics.configApplied(config.current().version());
        config.onOutcome(o -> {
            if (o.message().startsWith("rejected")) {
                metrics.configRejected();
            } else if (o.message().startsWith("rolled back")) {
                metrics.configRolledBack(o.version());
            } else if (o.applied()) {
                metrics.configApplied(o.version());
            }
        });
        if (!options.adminEnabled()) {
            ready = true;
            return;
        }
        admin = AdminServer.builder()
                .bind(options.admin)
                .allowNonLoopback(options.adminAllowNonLoopback)
                .readiness(() -> ready)
                .prometheus(registry)
                .proxy(proxy)
                .snapshot(proxy::snapshot)
                .configStatus(configStatus(config))
                .rollback(rollback(config))
                .compare(compareEndpoint())
                .samplePairs(retainedPairs)
                .logging(true)
                .start();
        ready = true;
    }

    private static ConfigStatus configStatus(ConfigLifecycle config) {
        return new ConfigStatus() {
            @Override
            public String currentVersion() {
                return config.current() == null ? null : config.current().version();
            }

            @Override
            public List<String> currentSources() {
                return config.current() == null ? List.of() : config.current().sources();
            }

            @Override
            public Instant appliedAt() {
                return config.history().stream().filter(v -> v.snapshot() != null).map(ConfigLifecycle.Version::at)
                        .findFirst().orElse(null);
            }

            @Override
            public List<ConfigEvent> history() {
                return config.history().stream().map(v -> new ConfigEvent(v.version(), v.at(),
                        switch (v.outcome()) {
                            case "rejected" -> ConfigEvent.Outcome.REJECTED;
                            case "rolled back" -> ConfigEvent.Outcome.ROLLED_BACK;
                            default -> ConfigEvent.Outcome.APPLIED;
                        }, v.sources(), v.messages())).toList();
            }
        };
    }

    private static Rollback rollback(ConfigLifecycle config) {
        return () -> {
            String from = config.current() == null ? null : config.current().version();
            ConfigLifecycle.Outcome o = config.rollback();
            return o.applied() ? new Rollback.Result(true, from, o.version(), o.message())
                    : Rollback.Result.nothing(from, o.message());
        };
    }

    private CompareEndpoint compareEndpoint() {
        return new CompareEndpoint() {
            @Override
            public Object report() {
                return compare.report().toJson();
            }

            @Override
            public String reportText() {
                return compare.report().toText();
            }

            @Override
            public void reset() {
                compare.reset();
                retainedPairs.clear();
            }

            @Override
            public void exportJsonLines(Writer out) throws IOException {
                compare.exportJsonLines(out);
            }
        };
    }

    /** The dashboard's address, {@code http://host:port/ui/}. */
    public String dashboardUrl() {
        return "http://" + adminAddress() + Dashboard.PATH;
    }

    /** The admin server's address, {@code host:port}. */
    public String adminAddress() {
        return admin == null ? "-" : admin.address().getHostString() + ":" + admin.port();
    }

    /**
     * Waits until {@code expectedPairs} request/mirror pairs have been handed to the engine and all of them are
     * compared, or {@code timeout} passes (the demo prints the report after its traffic). The client sees the primary
     * response before the mirror's answer arrives, so waiting for an idle engine alone could miss the last pairs.
     */
    public void awaitComparisons(long expectedPairs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (compareBridge.offered() < expectedPairs && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        compare.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** The comparison report. */
    public io.shadowgate.compare.report.ComparisonReport compareReport() {
        return compare.report();
    }

    /** The comparison report as a table. */
    public String compareReportText() {
        return compare.report().toText();
    }

    /** /ready answers 503 from now on (shutdown started). */
    void markNotReady() {
        ready = false;
    }

    @Override
    public void close() {
        ready = false;
        if (admin != null) {
            admin.close();
        }
        compare.close();
        tracer.close();
        accessLog.close();
        metrics.close();
    }
}
