package io.shadowgate.cli.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.admin.AdminServer;
import io.shadowgate.admin.spi.CompareEndpoint;
import io.shadowgate.admin.ui.Dashboard;
import io.shadowgate.compare.engine.ComparisonEngine;
import io.shadowgate.control.ConfigController;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.observe.CompositeObserver;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.telemetry.accesslog.AccessLog;
import io.shadowgate.telemetry.metrics.IstioMetrics;
import io.shadowgate.telemetry.tracing.OtelTracer;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
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

    /** Builds the services the spec asks for. */
    public static GatewayServices create(GatewaySpec spec) {
        PrometheusMeterRegistry registry = IstioMetrics.newPrometheusRegistry();
        IstioMetrics metrics = new IstioMetrics(registry, spec.identity()).bindJvmMetrics();
        AccessLog accessLog = AccessLog.create(spec.accessLog(), spec.accessLogFormat()).bindMetrics(registry);
        OtelTracer tracer = OtelTracer.create(spec.tracing());
        CompareRouteRules routeRules = new CompareRouteRules();
        ComparisonEngine compare = ComparisonEngine.create(spec.compare().with(routeRules::overrides), registry);
        return new GatewayServices(registry, metrics, accessLog, tracer, compare, routeRules);
    }

    /** The metrics registry (served on {@code /stats/prometheus}); config sources may register their own series. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The observer the data path reports to. */
    public ProxyObserver observer() {
        return observer;
    }

    /** The tracer the data path uses. */
    public RequestTracer tracer() {
        return tracer;
    }

    /**
     * Starts the admin server for a running proxy and control plane (served from the controller's read-only views);
     * counts config events in the metrics; marks the gateway ready once every config source is.
     */
    void startAdmin(GatewaySpec spec, ProxyServer proxy, ConfigController config) {
        metrics.bindProxy(proxy);
        routeRules.bind(proxy::snapshot, compare.settings());
        metrics.configApplied(config.current().version());
        config.onEvent(e -> {
            switch (e.outcome()) {
                case APPLIED, APPLIED_WITH_ERRORS -> metrics.configApplied(e.version());
                case REJECTED -> metrics.configRejected();
                case ROLLED_BACK -> metrics.configRolledBack(e.version());
                case UNCHANGED -> {
                    // Nothing was published.
                }
            }
        });
        if (!spec.adminEnabled()) {
            ready = true;
            return;
        }
        admin = AdminServer.builder()
                .bind(spec.adminAddress())
                .allowNonLoopback(spec.adminAllowNonLoopback())
                .readiness(() -> ready && config.state().sourcesReady())
                .prometheus(registry)
                .proxy(proxy)
                .snapshot(proxy::snapshot)
                .config(config)
                .rollback(config)
                .compare(compareEndpoint())
                .samplePairs(retainedPairs)
                .logging(true)
                .start();
        ready = true;
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
