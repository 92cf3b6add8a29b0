package io.shadowgate.proxy.upstream;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.config.snapshot.OutlierConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outlier detection of one cluster (DestinationRule {@code outlierDetection}), Envoy's consecutive-errors detectors:
 *
 * <ul>
 *   <li><b>Counting</b> ({@link #record}, called by the data path for every upstream outcome): a 5xx response
 *       increments the endpoint's consecutive-5xx counter; 502/503/504 also its consecutive-gateway-error counter,
 *       another 5xx resets that one; anything else resets both. Local failures count as the status they produce:
 *       connect failure and reset as 503, timeout as 504 (Envoy without {@code splitExternalLocalOriginErrors}).</li>
 *   <li><b>Ejection</b>: when a counter reaches its threshold ({@code consecutive5xxErrors},
 *       {@code consecutiveGatewayErrors}; 0 disables) the endpoint is ejected at once, for
 *       {@code baseEjectionTime × n} where n counts this endpoint's ejections (capped at 300 s, Envoy's default
 *       {@code max_ejection_time}, or the base time if larger), and its counters restart. An ejection is refused
 *       (counted in {@code ejections_overflow}) when it would take the ejected share above
 *       {@code maxEjectionPercent} — except that one endpoint may always be ejected, as in Envoy.</li>
 *   <li><b>Sweep</b> every {@code interval} on a timer: ends ejections whose time is over (the balancer already
 *       stops skipping an endpoint the moment its time is over; the sweep clears the state), and ejects endpoints
 *       whose counter is still at or over a threshold but whose ejection was refused earlier for lack of room.</li>
 *   <li><b>Panic</b> ({@code minHealthPercent}): while fewer than that share of endpoints is healthy, the balancer
 *       ignores ejections altogether (Envoy's healthy panic threshold, which Istio sets from this field; 0, Istio's
 *       default, never panics, so a cluster whose endpoints are all ejected answers 503 {@code UH}).</li>
 * </ul>
 *
 * <p>Owned by {@link ClusterManager}: one per cluster with an outlier configuration, its sweep on a cluster-manager
 * event loop. Thread-safe: counting uses the endpoints' atomics; ejection decisions take this detector's lock.
 */
public final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    /** Envoy's default {@code max_ejection_time}. */
    static final Duration MAX_EJECTION_TIME = Duration.ofSeconds(300);

    private final UpstreamCluster cluster;
    private final OutlierConfig config;
    private ScheduledFuture<?> sweepTask;

    public OutlierDetector(UpstreamCluster cluster, OutlierConfig config) {
        this.cluster = cluster;
        this.config = config;
    }

    /** The cluster this detector watches. */
    public UpstreamCluster cluster() {
        return cluster;
    }

    /** The configuration. */
    public OutlierConfig config() {
        return config;
    }

    /**
     * Records the outcome of one attempt to {@code endpoint} of {@code cluster}: {@code code} is the response status,
     * or 503 for a connect failure or reset, 504 for a timeout. Counts whether or not the cluster has outlier
     * detection (the counters are shown by {@code /clusters}); ejects when a threshold is reached and it has.
     */
    public static void record(UpstreamCluster cluster, UpstreamEndpoint endpoint, int code) {
        if (endpoint == null) {
            return;
        }
        if (code < 500 || code > 599) {
            endpoint.consecutive5xx().set(0);
            endpoint.consecutiveGatewayErrors().set(0);
            return;
        }
        int gateway;
        if (code == 502 || code == 503 || code == 504) {
            gateway = endpoint.consecutiveGatewayErrors().incrementAndGet();
        } else {
            endpoint.consecutiveGatewayErrors().set(0);
            gateway = 0;
        }
        int fives = endpoint.consecutive5xx().incrementAndGet();
        OutlierDetector detector = cluster == null ? null : cluster.outlierDetector();
        if (detector != null) {
            OutlierConfig c = detector.config;
            if ((c.consecutiveGatewayErrors() > 0 && gateway == c.consecutiveGatewayErrors())
                    || (c.consecutive5xx() > 0 && fives == c.consecutive5xx())) {
                detector.eject(endpoint, System.nanoTime());
            }
        }
    }

    /** Ejects {@code endpoint} unless it is already ejected or {@code maxEjectionPercent} forbids it. */
    synchronized boolean eject(UpstreamEndpoint endpoint, long now) {
        if (endpoint.ejected(now)) {
            return false;
        }
        List<UpstreamEndpoint> all = cluster.endpoints();
        if (!all.contains(endpoint)) {
            return false;
        }
        int ejected = 0;
        for (UpstreamEndpoint e : all) {
            if (e.ejected(now)) {
                ejected++;
            }
        }
        if (ejected > 0 && (long) (ejected + 1) * 100 > (long) config.maxEjectionPercent() * all.size()) {
            cluster.stats().ejectionsOverflow.increment();
            return false;
        }
        long base = Math.max(1, config.baseEjectionTime().toNanos());
        long cap = Math.max(base, MAX_EJECTION_TIME.toNanos());
        long n = endpoint.ejections() + 1L;
        long duration = n > cap / base ? cap : Math.min(cap, base * n);
        endpoint.eject(now + duration);
        endpoint.consecutive5xx().set(0);
        endpoint.consecutiveGatewayErrors().set(0);
        cluster.stats().ejections.increment();
        log.info("outlier detection: ejected {} from {} for {} ms (ejection #{})", endpoint.hostPort(),
                cluster.config().name(), TimeUnit.NANOSECONDS.toMillis(duration), endpoint.ejections());
        return true;
    }

    /** One sweep: restores endpoints whose ejection is over, ejects those still over a threshold. */
    synchronized void sweep() {
        long now = System.nanoTime();
        for (UpstreamEndpoint e : cluster.endpoints()) {
            if (e.ejectionPending(now)) {
                e.uneject();
                log.info("outlier detection: {} of {} is back after ejection #{}", e.hostPort(),
                        cluster.config().name(), e.ejections());
            }
        }
        for (UpstreamEndpoint e : cluster.endpoints()) {
            if (!e.ejected(now) && overThreshold(e)) {
                eject(e, now);
            }
        }
    }

    private boolean overThreshold(UpstreamEndpoint e) {
        return (config.consecutive5xx() > 0 && e.consecutive5xx().get() >= config.consecutive5xx())
                || (config.consecutiveGatewayErrors() > 0
                && e.consecutiveGatewayErrors().get() >= config.consecutiveGatewayErrors());
    }

    /** Whether the balancer should ignore ejections: fewer than {@code minHealthPercent} of endpoints healthy. */
    boolean panic(List<UpstreamEndpoint> endpoints, long now) {
        int min = config.minHealthPercent();
        if (min <= 0 || endpoints.isEmpty()) {
            return false;
        }
        int healthy = 0;
        for (UpstreamEndpoint e : endpoints) {
            if (!e.ejected(now)) {
                healthy++;
            }
        }
        return (long) healthy * 100 < (long) min * endpoints.size();
    }

    /** Starts the sweep on {@code executor} every {@code interval}. */
    void start(EventExecutor executor) {
        long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), config.interval().toNanos());
        sweepTask = executor.scheduleAtFixedRate(this::sweepQuietly, interval, interval, TimeUnit.NANOSECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("outlier detection sweep of {} failed", cluster.config().name(), e);
        }
    }

    /** Stops the sweep. */
    void close() {
        ScheduledFuture<?> t = sweepTask;
        if (t != null) {
            t.cancel(false);
        }
    }
}
