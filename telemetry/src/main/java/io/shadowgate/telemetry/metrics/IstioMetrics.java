package io.shadowgate.telemetry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.proxy.observe.ClusterView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Istio's standard metrics, and Shadowgate's own, from the proxy's events.
 *
 * <p>Primary requests feed {@code istio_requests_total}, {@code istio_request_duration_milliseconds},
 * {@code istio_request_bytes} and {@code istio_response_bytes} with Istio's label names and buckets and
 * {@code reporter="source"}, as an Istio ingress gateway reports them. Mirrored requests never go there (Istio's
 * gateway does not count them either, §4.7); they get {@code shadowgate_mirror_requests_total},
 * {@code shadowgate_mirror_request_duration_milliseconds} and {@code shadowgate_mirror_skipped_total}, labelled so
 * v2's answers can be read next to v1's.
 *
 * <p>Event methods run on event loops. Series are cached per destination — host, namespace and the endpoint's label
 * map, the map compared by identity (it is the endpoint's own, the same object for every request to it), so no label
 * map is hashed or compared per request — then by status in an array (and by flags in a small map when there are
 * any): a request costs one map lookup with a precomputed hash, an array read and four atomic updates. The caches are
 * bounded (destinations cleared past {@value #MAX_CACHED_DESTINATIONS} or on a snapshot change, flag variants not
 * cached past {@value #MAX_FLAG_SERIES} per destination); a series dropped from a cache is found again in the
 * registry, so caching never changes what is counted. Thread-safe.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = IstioMetrics.newPrometheusRegistry();
 * IstioMetrics metrics = new IstioMetrics(registry, GatewayIdentity.defaults()).bindJvmMetrics();
 * ProxyServer proxy = ProxyServer.start(snapshot, options, new CompositeObserver(List.of(metrics, ...)), ...);
 * metrics.bindProxy(proxy);
 * }</pre>
 */
public final class IstioMetrics implements ProxyObserver, AutoCloseable {

    /** Istio's {@code istio_request_duration_milliseconds} buckets. */
    public static final double[] DURATION_BUCKETS_MS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
        30000, 60000, 300000, 600000, 1800000, 3600000};

    /** Istio's {@code istio_request_bytes} / {@code istio_response_bytes} buckets. */
    public static final double[] BYTE_BUCKETS = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

    /** Destinations cached at most (a new snapshot brings new label maps); past it the cache starts over. */
    static final int MAX_CACHED_DESTINATIONS = 4_096;

    /** Status/flags combinations with flags cached per destination at most; beyond, meters are looked up. */
    static final int MAX_FLAG_SERIES = 256;

    /** Statuses cached in a destination's array: 0 (no response) to 599. */
    private static final int STATUS_SLOTS = 600;

    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final GatewayIdentity identity;
    private final Map<DestinationKey, PrimaryDestination> primary = new ConcurrentHashMap<>();
    private final Map<DestinationKey, MirrorDestination> mirror = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> connectionsActive = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> connectionsTotal = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> reloads = new ConcurrentHashMap<>();
    private final MultiGauge versionInfo;
    private final io.prometheus.metrics.core.metrics.Info prometheusVersionInfo;
    private final MultiGauge upstreamConnections;
    private final MultiGauge upstreamRequests;
    private final MultiGauge mirrorInFlight;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile ProxyServer proxy;
    private volatile String version;

    /** Metrics reported as {@link GatewayIdentity#defaults()}. */
    public IstioMetrics(MeterRegistry registry) {
        this(registry, GatewayIdentity.defaults());
    }

    /** Metrics on {@code registry} reported as {@code identity}. */
    public IstioMetrics(MeterRegistry registry, GatewayIdentity identity) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.identity = Objects.requireNonNull(identity, "identity");
        // Micrometer's Prometheus naming strips the reserved "_info" suffix from gauges, so on a Prometheus registry
        // the series is a native Prometheus Info metric, exposed as shadowgate_config_version_info{version} 1.
        io.prometheus.metrics.core.metrics.Info info = null;
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            try {
                info = io.prometheus.metrics.core.metrics.Info.builder().name("shadowgate_config_version")
                        .help("The routing snapshot version in effect (value 1)").labelNames("version")
                        .register(prometheus.getPrometheusRegistry());
            } catch (IllegalArgumentException | IllegalStateException alreadyRegistered) {
                info = null;
            }
        }
        this.prometheusVersionInfo = info;
        this.versionInfo = info != null ? null : MultiGauge.builder("shadowgate_config_version_info")
                .description("The routing snapshot version in effect (value 1)").register(registry);
        this.upstreamConnections = MultiGauge.builder("shadowgate_upstream_connections_active")
                .description("Open upstream connections per cluster").register(registry);
        this.upstreamRequests = MultiGauge.builder("shadowgate_upstream_requests_active")
                .description("Requests in flight per upstream cluster").register(registry);
        this.mirrorInFlight = MultiGauge.builder("shadowgate_mirror_requests_active")
                .description("Mirrored requests in flight per mirror cluster").register(registry);
        for (String result : new String[] {"applied", "rejected", "rolled_back"}) {
            reloads(result);
        }
    }

    /** A Prometheus registry as the admin server scrapes it. */
    public static PrometheusMeterRegistry newPrometheusRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Adds Micrometer's JVM, GC, thread, class-loader and process metrics to the registry. Returns {@code this}. */
    public synchronized IstioMetrics bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return this;
    }

    /**
     * Adds the gauges read from a running proxy: {@code shadowgate_requests_active},
     * {@code shadowgate_downstream_connections_open}, {@code shadowgate_mirror_buffered_bytes}, and the per-cluster
     * {@code shadowgate_upstream_connections_active}, {@code shadowgate_upstream_requests_active} and
     * {@code shadowgate_mirror_requests_active} (refreshed on every snapshot change). Call once, after
     * {@code ProxyServer.start}. Returns {@code this}.
     */
    public IstioMetrics bindProxy(ProxyServer server) {
        Objects.requireNonNull(server, "server");
        this.proxy = server;
        Gauge.builder("shadowgate_requests_active", server, ProxyServer::activeRequests)
                .description("Client requests in flight").strongReference(true).register(registry);
        Gauge.builder("shadowgate_downstream_connections_open", server, ProxyServer::openConnections)
                .description("Open client connections on all listeners").strongReference(true).register(registry);
        Gauge.builder("shadowgate_mirror_buffered_bytes", server, s -> s.mirrors().bufferedBytes())
                .description("Request body bytes buffered for mirrors (all mirrors together)")
                .strongReference(true).register(registry);
        refreshClusterGauges();
        return this;
    }

    /**
     * Adds {@code shadowgate_requests_active} from a supplier, for embedders without a {@link ProxyServer}.
     */
    public IstioMetrics bindActiveRequests(java.util.function.IntSupplier activeRequests) {
        Gauge.builder("shadowgate_requests_active", activeRequests, s -> s.getAsInt())
                .description("Client requests in flight").strongReference(true).register(registry);
        return this;
    }

    // ------------------------------------------------------------------ config lifecycle (called by the CLI)

    /** A new config was validated and applied: counts a reload and sets {@code shadowgate_config_version_info}. */
    public void configApplied(String version) {
        reloads("applied").increment();
        setVersion(version);
    }

    /** A config change was rejected (the last good config keeps serving). */
    public void configRejected() {
        reloads("rejected").increment();
    }

    /** The previous config was restored by a rollback. */
    public void configRolledBack(String version) {
        reloads("rolled_back").increment();
        setVersion(version);
    }

    /** The version last reported, or {@code null}. */
    public String version() {
        return version;
    }

    private Counter reloads(String result) {
        return reloads.computeIfAbsent(result, r -> Counter.builder("shadowgate_config_reloads_total")
                .description("Config reloads by result (applied, rejected, rolled_back)")
                .tag("result", r).register(registry));
    }

    private synchronized void setVersion(String v) {
        if (v == null || v.equals(version)) {
            return;
        }
        version = v;
        if (prometheusVersionInfo != null) {
            prometheusVersionInfo.setLabelValues(v);
        } else {
            versionInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", v), 1)), true);
        }
    }

    private void refreshClusterGauges() {
        ProxyServer server = proxy;
        if (server == null) {
            return;
        }
        List<MultiGauge.Row<?>> cx = new ArrayList<>();
        List<MultiGauge.Row<?>> rq = new ArrayList<>();
        List<MultiGauge.Row<?>> mi = new ArrayList<>();
        for (String name : server.clusterViews().keySet()) {
            Tags tags = Tags.of("cluster", name);
            cx.add(MultiGauge.Row.of(tags, () -> {
                ClusterView c = server.clusterView(name);
                return c == null ? 0 : c.connectionCount();
            }));
            rq.add(MultiGauge.Row.of(tags, () -> {
                ClusterView c = server.clusterView(name);
                return c == null ? 0 : c.activeRequestCount();
            }));
            mi.add(MultiGauge.Row.of(tags, () -> server.mirrors().inFlight(name)));
        }
        synchronized (this) {
            upstreamConnections.register(cx, true);
            upstreamRequests.register(rq, true);
            mirrorInFlight.register(mi, true);
        }
    }

    // ------------------------------------------------------------------ ProxyObserver

    @Override
    public void onRequest(RequestLog log) {
        DestinationKey key = new DestinationKey(log.destinationHost(), log.serviceNamespace(),
                log.destinationLabels());
        PrimaryDestination d = primary.get(key);
        if (d == null) {
            d = cached(primary, key, new PrimaryDestination(key));
        }
        PrimarySeries s = d.series(log.status(), log.flags());
        s.requests.increment();
        s.duration.record(log.durationNanos() / 1_000_000.0);
        s.requestBytes.record(log.bytesReceived());
        s.responseBytes.record(log.bytesSent());
    }

    @Override
    public void onMirror(RequestLog log) {
        DestinationKey key = new DestinationKey(log.destinationHost(), log.destinationSubset(),
                log.destinationLabels());
        MirrorDestination d = mirror.get(key);
        if (d == null) {
            d = cached(mirror, key, new MirrorDestination(key));
        }
        MirrorSeries s = d.series(log.mirrorOutcome(), log.status());
        s.requests.increment();
        s.duration.record(log.durationNanos() / 1_000_000.0);
    }

    private static <D> D cached(Map<DestinationKey, D> cache, DestinationKey key, D fresh) {
        if (cache.size() >= MAX_CACHED_DESTINATIONS) {
            cache.clear();
        }
        D prev = cache.putIfAbsent(key, fresh);
        return prev != null ? prev : fresh;
    }

    @Override
    public void onMirrorSkipped(String cluster, String reason) {
        String key = cluster + '\n' + reason;
        Counter c = skipped.get(key);
        if (c == null) {
            c = skipped.computeIfAbsent(key, k -> Counter.builder("shadowgate_mirror_skipped_total")
                    .description("Mirrors not sent at all (budget, method filter, unknown cluster)")
                    .tags("cluster", orUnknown(cluster), "reason", orUnknown(reason)).register(registry));
        }
        c.increment();
    }

    @Override
    public void onRequestRefused(int listenerPort, int status, String reason) {
        String key = listenerPort + "\n" + status + "\n" + reason;
        Counter c = refused.get(key);
        if (c == null) {
            c = refused.computeIfAbsent(key, k -> Counter.builder("shadowgate_downstream_rejected_total")
                    .description("Client requests refused before routing (malformed, too large, too slow, HTTP/2)")
                    .tags("listener", Integer.toString(listenerPort), "response_code", Integer.toString(status),
                            "reason", orUnknown(reason))
                    .register(registry));
        }
        c.increment();
    }

    @Override
    public void onConnection(int listenerPort, int delta) {
        AtomicInteger active = connectionsActive.get(listenerPort);
        if (active == null) {
            active = connectionsActive.computeIfAbsent(listenerPort, p -> {
                AtomicInteger a = new AtomicInteger();
                Gauge.builder("shadowgate_downstream_connections_active", a, AtomicInteger::get)
                        .description("Open client connections per listener port")
                        .tag("listener", Integer.toString(p)).strongReference(true).register(registry);
                return a;
            });
        }
        active.addAndGet(delta);
        if (delta > 0) {
            Counter total = connectionsTotal.get(listenerPort);
            if (total == null) {
                total = connectionsTotal.computeIfAbsent(listenerPort, p ->
                        Counter.builder("shadowgate_downstream_connections_total")
                                .description("Client connections accepted per listener port")
                                .tag("listener", Integer.toString(p)).register(registry));
            }
            total.increment(delta);
        }
    }

    @Override
    public void onSnapshot(String version) {
        setVersion(version);
        refreshClusterGauges();
        // A new snapshot has new endpoint label maps; the old ones' entries would only be found again by requests
        // still in flight (and the meters stay registered either way).
        primary.clear();
        mirror.clear();
    }

    /** Closes the JVM GC binder (if bound). Meters stay registered. */
    @Override
    public synchronized void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        closeables.clear();
    }

    // ------------------------------------------------------------------ series

    private PrimarySeries primarySeries(Tags destinationTags, int status, String flags) {
        Tags tags = destinationTags.and("response_code", Integer.toString(status), "response_flags", flags);
        Counter requests = Counter.builder("istio_requests_total")
                .description("Requests handled by the gateway (Istio standard metric, reporter=source)")
                .tags(tags).register(registry);
        DistributionSummary duration = DistributionSummary.builder("istio_request_duration_milliseconds")
                .description("Request duration in milliseconds (Istio standard metric)")
                .serviceLevelObjectives(DURATION_BUCKETS_MS).tags(tags).register(registry);
        DistributionSummary reqBytes = DistributionSummary.builder("istio_request_bytes")
                .description("Request body sizes in bytes (Istio standard metric)")
                .serviceLevelObjectives(BYTE_BUCKETS).tags(tags).register(registry);
        DistributionSummary respBytes = DistributionSummary.builder("istio_response_bytes")
                .description("Response body sizes in bytes (Istio standard metric)")
                .serviceLevelObjectives(BYTE_BUCKETS).tags(tags).register(registry);
        return new PrimarySeries(requests, duration, reqBytes, respBytes);
    }

    /** Every Istio label of a destination except {@code response_code} and {@code response_flags}. */
    private Tags istioTags(DestinationKey k) {
        Map<String, String> labels = k.labels == null ? Map.of() : k.labels;
        String host = orUnknown(k.host);
        String serviceName = k.host == null ? UNKNOWN : firstLabel(k.host);
        String namespace = orUnknown(k.scope);
        String version = labels.getOrDefault("version", UNKNOWN);
        String app = labels.get("app");
        String workload = app == null ? UNKNOWN : labels.containsKey("version") ? app + "-" + version : app;
        String canonicalService = first(labels, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app");
        String canonicalRevision = first(labels, "service.istio.io/canonical-revision", "app.kubernetes.io/version",
                "version");
        return Tags.of(
                "reporter", "source",
                "source_workload", identity.workload(),
                "source_workload_namespace", identity.namespace(),
                "source_principal", UNKNOWN,
                "source_app", identity.app(),
                "source_version", UNKNOWN,
                "source_canonical_service", identity.workload(),
                "source_canonical_revision", "latest",
                "destination_workload", workload,
                "destination_workload_namespace", namespace,
                "destination_principal", UNKNOWN,
                "destination_app", app == null ? UNKNOWN : app,
                "destination_version", version,
                "destination_service", host,
                "destination_service_name", serviceName,
                "destination_service_namespace", namespace,
                "destination_canonical_service", canonicalService == null ? UNKNOWN : canonicalService,
                "destination_canonical_revision", canonicalRevision == null ? "latest" : canonicalRevision,
                "request_protocol", "http",
                "grpc_response_status", "",
                "connection_security_policy", UNKNOWN);
    }

    private MirrorSeries mirrorSeries(DestinationKey k, String outcome, int status) {
        Map<String, String> labels = k.labels == null ? Map.of() : k.labels;
        String host = orUnknown(k.host);
        String version = labels.getOrDefault("version", UNKNOWN);
        String subset = k.scope == null ? "" : k.scope;
        Counter requests = Counter.builder("shadowgate_mirror_requests_total")
                .description("Mirrored requests by outcome (never counted in istio_requests_total)")
                .tags("destination_service", host, "destination_version", version, "destination_subset", subset,
                        "outcome", outcome, "response_code", Integer.toString(status))
                .register(registry);
        DistributionSummary duration = DistributionSummary.builder("shadowgate_mirror_request_duration_milliseconds")
                .description("Mirrored request duration in milliseconds")
                .serviceLevelObjectives(DURATION_BUCKETS_MS)
                .tags("destination_service", host, "destination_version", version, "destination_subset", subset,
                        "outcome", outcome)
                .register(registry);
        return new MirrorSeries(requests, duration);
    }

    private static String first(Map<String, String> labels, String... keys) {
        for (String k : keys) {
            String v = labels.get(k);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static String firstLabel(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? UNKNOWN : s;
    }

    /**
     * Where a request went: host, namespace (primary) or subset (mirror), and the endpoint's label map compared by
     * identity. Hash precomputed; the strings' hashes are cached by {@link String}.
     */
    private static final class DestinationKey {
        final String host;
        final String scope;
        final Map<String, String> labels;
        private final int hash;

        DestinationKey(String host, String scope, Map<String, String> labels) {
            this.host = host;
            this.scope = scope;
            this.labels = labels;
            this.hash = (31 * Objects.hashCode(host) + Objects.hashCode(scope)) * 31 + System.identityHashCode(labels);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestinationKey k && k.hash == hash && k.labels == labels
                    && Objects.equals(k.host, host) && Objects.equals(k.scope, scope);
        }
    }

    /** The primary series of one destination: by status without flags in an array, with flags in a bounded map. */
    private final class PrimaryDestination {
        private final Tags tags;
        private final AtomicReferenceArray<PrimarySeries> plain = new AtomicReferenceArray<>(STATUS_SLOTS);
        private final Map<String, PrimarySeries> flagged = new ConcurrentHashMap<>();

        PrimaryDestination(DestinationKey key) {
            this.tags = istioTags(key);
        }

        PrimarySeries series(int status, String flags) {
            boolean none = flags == null || flags.isEmpty() || "-".equals(flags);
            if (none && status >= 0 && status < STATUS_SLOTS) {
                PrimarySeries s = plain.get(status);
                if (s == null) {
                    s = primarySeries(tags, status, "-");
                    if (!plain.compareAndSet(status, null, s)) {
                        s = plain.get(status);
                    }
                }
                return s;
            }
            String f = none ? "-" : flags;
            String key = status + " " + f;
            PrimarySeries s = flagged.get(key);
            if (s == null) {
                s = primarySeries(tags, status, f);
                if (flagged.size() < MAX_FLAG_SERIES) {
                    PrimarySeries prev = flagged.putIfAbsent(key, s);
                    s = prev != null ? prev : s;
                }
            }
            return s;
        }
    }

    /** The mirror series of one destination, by outcome, then by status. */
    private final class MirrorDestination {
        private final DestinationKey key;
        private final Map<String, AtomicReferenceArray<MirrorSeries>> byOutcome = new ConcurrentHashMap<>();

        MirrorDestination(DestinationKey key) {
            this.key = key;
        }

        MirrorSeries series(String outcome, int status) {
            String o = orUnknown(outcome);
            if (status < 0 || status >= STATUS_SLOTS) {
                return mirrorSeries(key, o, status);
            }
            AtomicReferenceArray<MirrorSeries> slots = byOutcome.get(o);
            if (slots == null) {
                if (byOutcome.size() >= MAX_FLAG_SERIES) {
                    return mirrorSeries(key, o, status);
                }
                slots = byOutcome.computeIfAbsent(o, x -> new AtomicReferenceArray<>(STATUS_SLOTS));
            }
            MirrorSeries s = slots.get(status);
            if (s == null) {
                s = mirrorSeries(key, o, status);
                if (!slots.compareAndSet(status, null, s)) {
                    s = slots.get(status);
                }
            }
            return s;
        }
    }

    private record PrimarySeries(Counter requests, DistributionSummary duration, DistributionSummary requestBytes,
                                 DistributionSummary responseBytes) {
    }

    private record MirrorSeries(Counter requests, DistributionSummary duration) {
    }
}
