package io.shadowgate.config.snapshot;

import java.time.Duration;
import java.util.List;

/**
 * Istio {@code route}: forward to one of weighted destinations, optionally mirroring.
 *
 * @param destinations  destinations with weight &gt; 0 (a single destination is kept whatever its weight)
 * @param totalWeight   the sum of the weights (1 for a single destination)
 * @param rewrite       path and authority rewrite, or {@code null}
 * @param timeout       the route timeout; {@link Duration#ZERO} means none (Istio's default)
 * @param retries       the retry policy; {@link RetryConfig#ISTIO_DEFAULT} when the route sets none
 * @param fault         fault injection, or {@code null}
 * @param mirrors       mirror policies in order ({@code mirror} or {@code mirrors[]}), only those Istio emits
 * @param mirrorOptions Shadowgate's per-VirtualService mirror options from {@code shadowgate.io/} annotations
 * @param compare       whether responses of mirrored requests on this route are compared ({@code null}: global
 *                      default)
 */
public record ForwardAction(List<WeightedDestination> destinations, int totalWeight, RewriteConfig rewrite,
                            Duration timeout, RetryConfig retries, FaultConfig fault, List<MirrorPolicy> mirrors,
                            MirrorOptions mirrorOptions, Boolean compare) implements RouteAction {

    public ForwardAction {
        destinations = List.copyOf(destinations);
        mirrors = List.copyOf(mirrors);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("destinations: [] (expected: at least one)");
        }
    }

    /**
     * The destination for a request whose random value is {@code random}: Envoy's
     * {@code stream_id % total_weight} over the intervals {@code [0,w1),[w1,w1+w2),…}.
     */
    public WeightedDestination pick(long random) {
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        long point = Long.remainderUnsigned(random, totalWeight);
        long upper = 0;
        for (WeightedDestination d : destinations) {
            upper += d.weight();
            if (point < upper) {
                return d;
            }
        }
        return destinations.get(destinations.size() - 1);
    }
}
