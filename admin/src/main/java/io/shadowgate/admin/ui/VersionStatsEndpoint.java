package io.shadowgate.admin.ui;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /stats/versions}: the registry's request series summed per destination service and version, as the
 * dashboard needs them: requests, errors (5xx and no response) and the latency histogram of what each version
 * answered as primary ({@code istio_requests_total}, {@code istio_request_duration_milliseconds}); what each mirror
 * destination did, by outcome ({@code shadowgate_mirror_requests_total}) with its latency histogram; and mirrors never
 * sent, by cluster and reason ({@code shadowgate_mirror_skipped_total}). Counters are totals since the process
 * started ({@code startedAt}): a client computes rates from two readings, and a changed {@code startedAt} means the
 * gateway restarted and the counters began again.
 */
public final class VersionStatsEndpoint implements AdminEndpoint {

    private final MeterRegistry registry;

    public VersionStatsEndpoint(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "requests, errors, latency histograms and mirror outcomes per destination version (JSON)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", Instant.now().toString());
        out.put("startedAt", Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).toString());
        out.put("primary", primary());
        out.put("mirror", mirror());
        out.put("mirrorSkipped", skipped());
        return AdminResponse.json(200, out);
    }

    private List<Object> primary() {
        Map<String, Side> sides = new TreeMap<>();
        for (Counter c : registry.find("istio_requests_total").counters()) {
            Side s = sides.computeIfAbsent(key(c.getId().getTag("destination_service"),
                    c.getId().getTag("destination_version")), k -> new Side(c.getId().getTag("destination_service"),
                    c.getId().getTag("destination_version"), null));
            long n = (long) c.count();
            s.requests += n;
            if (isError(c.getId().getTag("response_code"))) {
                s.errors += n;
            }
        }
        for (DistributionSummary d : registry.find("istio_request_duration_milliseconds").summaries()) {
            Side s = sides.get(key(d.getId().getTag("destination_service"), d.getId().getTag("destination_version")));
            if (s != null) {
                s.latency.add(d.takeSnapshot());
            }
        }
        return sides.values().stream().<Object>map(Side::toJson).toList();
    }

    private List<Object> mirror() {
        Map<String, Side> sides = new TreeMap<>();
        for (Counter c : registry.find("shadowgate_mirror_requests_total").counters()) {
            String service = c.getId().getTag("destination_service");
            String subset = c.getId().getTag("destination_subset");
            String version = c.getId().getTag("destination_version");
            Side s = sides.computeIfAbsent(key(service, subset) + '\n' + version,
                    k -> new Side(service, version, subset));
            long n = (long) c.count();
            s.requests += n;
            s.outcomes.merge(String.valueOf(c.getId().getTag("outcome")), n, Long::sum);
            if (isError(c.getId().getTag("response_code"))) {
                s.errors += n;
            }
        }
        for (DistributionSummary d : registry.find("shadowgate_mirror_request_duration_milliseconds").summaries()) {
            String k = key(d.getId().getTag("destination_service"), d.getId().getTag("destination_subset")) + '\n'
                    + d.getId().getTag("destination_version");
            Side s = sides.get(k);
            // Only answered mirrors: a timeout's duration is the timeout, not v2's latency.
            if (s != null && "completed".equals(d.getId().getTag("outcome"))) {
                s.latency.add(d.takeSnapshot());
            }
        }
        return sides.values().stream().<Object>map(Side::toJson).toList();
    }

    private List<Object> skipped() {
        List<Object> out = new ArrayList<>();
        for (Counter c : registry.find("shadowgate_mirror_skipped_total").counters()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", c.getId().getTag("cluster"));
            m.put("reason", c.getId().getTag("reason"));
            m.put("count", (long) c.count());
            out.add(m);
        }
        return out;
    }

    /** 5xx, or no response at all (status 0). */
    private static boolean isError(String responseCode) {
        return responseCode != null && (responseCode.startsWith("5") || responseCode.equals("0"));
    }

    private static String key(String a, String b) {
        return a + '\n' + b;
    }

    /** One version's series summed. */
    private static final class Side {
        final String service;
        final String version;
        final String subset;
        long requests;
        long errors;
        final Map<String, Long> outcomes = new TreeMap<>();
        final Histogram latency = new Histogram();

        Side(String service, String version, String subset) {
            this.service = service;
            this.version = version;
            this.subset = subset;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", service);
            m.put("version", version);
            if (subset != null) {
                m.put("subset", subset);
                m.put("outcomes", outcomes);
            }
            m.put("requests", requests);
            m.put("errors", errors);
            m.put("latency", latency.toJson());
            return m;
        }
    }

    /** Cumulative bucket counts summed over series with the same bounds (they all use the same ones). */
    private static final class Histogram {
        final TreeMap<Double, Double> cumulative = new TreeMap<>();
        long count;
        double sum;

        void add(HistogramSnapshot s) {
            count += s.count();
            sum += s.total();
            for (CountAtBucket b : s.histogramCounts()) {
                cumulative.merge(b.bucket(), b.count(), Double::sum);
            }
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("sumMillis", sum);
            m.put("bucketsMillis", new ArrayList<>(cumulative.keySet()));
            m.put("cumulativeCounts", cumulative.values().stream().map(Math::round).toList());
            return m;
        }
    }
}
