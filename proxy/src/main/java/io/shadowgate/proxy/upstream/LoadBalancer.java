package io.shadowgate.proxy.upstream;

import io.shadowgate.config.decide.Hashing;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import java.util.Arrays;
import java.util.List;
import io.shadowgate.proxy.runtime.RandomSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses one endpoint among the healthy ones. Implementations are shared by all event loops and thread-safe.
 * A load balancer is built for one endpoint list ({@link #forEndpoints}) so ring construction happens once per
 * endpoint change, never per request.
 */
public abstract class LoadBalancer {

    /** A {@code nowNanos} that makes every endpoint count as not ejected (outlier-detection panic). */
    public static final long IGNORE_EJECTIONS = Long.MIN_VALUE;

    /** The endpoints this balancer was built for. */
    protected final List<UpstreamEndpoint> endpoints;

    /** Draws for the random picks (power of two choices, weighted random, ring position without a hash). */
    protected final RandomSource random;

    LoadBalancer(List<UpstreamEndpoint> endpoints, RandomSource random) {
        this.endpoints = List.copyOf(endpoints);
        this.random = random;
    }

    /**
     * Picks an endpoint.
     *
     * @param hash    the request's consistent-hash key, or {@code 0} with {@code hasHash == false}
     * @param hasHash whether {@code hash} is meaningful
     * @param nowNanos for outlier ejection checks
     * @param exclude an endpoint to avoid (a retry's previous host), or {@code null}
     * @return the endpoint, or {@code null} when none is healthy
     */
    public abstract UpstreamEndpoint choose(long hash, boolean hasHash, long nowNanos, UpstreamEndpoint exclude);

    /** The balancer for {@code config} over {@code endpoints}, drawing from {@link RandomSource#THREAD_LOCAL}. */
    public static LoadBalancer forEndpoints(LoadBalancerConfig config, List<UpstreamEndpoint> endpoints) {
        return forEndpoints(config, endpoints, RandomSource.THREAD_LOCAL);
    }

    /** The balancer for {@code config} over {@code endpoints}, drawing from {@code random}. */
    public static LoadBalancer forEndpoints(LoadBalancerConfig config, List<UpstreamEndpoint> endpoints,
                                            RandomSource random) {
        if (config != null && config.hash() != null) {
            return new RingHash(endpoints, config.hash().tableSize(), random);
        }
        String simple = config == null ? "LEAST_REQUEST" : config.simple();
        return switch (simple == null ? "LEAST_REQUEST" : simple) {
            case "ROUND_ROBIN" -> new RoundRobin(endpoints, random);
            case "RANDOM", "PASSTHROUGH" -> new RandomChoice(endpoints, random);
            default -> new LeastRequest(endpoints, random);
        };
    }

    boolean usable(UpstreamEndpoint e, long now, UpstreamEndpoint exclude) {
        return e != exclude && (now == IGNORE_EJECTIONS || !e.ejected(now));
    }

    /** A fallback when every usable endpoint was excluded: the excluded one if it is healthy. */
    UpstreamEndpoint fallback(long now, UpstreamEndpoint exclude) {
        return exclude != null && (now == IGNORE_EJECTIONS || !exclude.ejected(now)) ? exclude : null;
    }

    /** Envoy's default: power of two choices on active requests, weighted choice of the two candidates. */
    static final class LeastRequest extends LoadBalancer {
        LeastRequest(List<UpstreamEndpoint> endpoints, RandomSource random) {
            super(endpoints, random);
        }

        @Override
        public UpstreamEndpoint choose(long hash, boolean hasHash, long now, UpstreamEndpoint exclude) {
            int n = endpoints.size();
            if (n == 0) {
                return null;
            }
            if (n == 1) {
                UpstreamEndpoint only = endpoints.get(0);
                return usable(only, now, exclude) ? only : fallback(now, exclude);
            }
            UpstreamEndpoint best = null;
            for (int attempt = 0; attempt < 2 * n && best == null; attempt++) {
                UpstreamEndpoint a = endpoints.get((int) RandomSource.below(random, n));
                UpstreamEndpoint b = endpoints.get((int) RandomSource.below(random, n));
                boolean okA = usable(a, now, exclude);
                boolean okB = usable(b, now, exclude);
                if (okA && okB) {
                    // Fewer active requests per unit of weight wins.
                    best = (long) a.activeRequests() * b.weight() <= (long) b.activeRequests() * a.weight() ? a : b;
                } else if (okA) {
                    best = a;
                } else if (okB) {
                    best = b;
                }
            }
            if (best == null) {
                for (UpstreamEndpoint e : endpoints) {
                    if (usable(e, now, exclude)) {
                        return e;
                    }
                }
                return fallback(now, exclude);
            }
            return best;
        }
    }

    /** Weighted round robin over a counter shared by all event loops. */
    static final class RoundRobin extends LoadBalancer {
        private final AtomicLong next = new AtomicLong();
        private final int totalWeight;

        RoundRobin(List<UpstreamEndpoint> endpoints, RandomSource random) {
            super(endpoints, random);
            int t = 0;
            for (UpstreamEndpoint e : endpoints) {
                t += e.weight();
            }
            totalWeight = t;
        }

        @Override
        public UpstreamEndpoint choose(long hash, boolean hasHash, long now, UpstreamEndpoint exclude) {
            if (endpoints.isEmpty()) {
                return null;
            }
            for (int attempt = 0; attempt < endpoints.size(); attempt++) {
                long point = Math.floorMod(next.getAndIncrement(), (long) totalWeight);
                UpstreamEndpoint e = walk(point);
                if (usable(e, now, exclude)) {
                    return e;
                }
            }
            for (UpstreamEndpoint e : endpoints) {
                if (usable(e, now, exclude)) {
                    return e;
                }
            }
            return fallback(now, exclude);
        }

        private UpstreamEndpoint walk(long point) {
            long upper = 0;
            for (UpstreamEndpoint e : endpoints) {
                upper += e.weight();
                if (point < upper) {
                    return e;
                }
            }
            return endpoints.get(endpoints.size() - 1);
        }
    }

    /** Weighted random choice. */
    static final class RandomChoice extends LoadBalancer {
        private final int totalWeight;

        RandomChoice(List<UpstreamEndpoint> endpoints, RandomSource random) {
            super(endpoints, random);
            int t = 0;
            for (UpstreamEndpoint e : endpoints) {
                t += e.weight();
            }
            totalWeight = t;
        }

        @Override
        public UpstreamEndpoint choose(long hash, boolean hasHash, long now, UpstreamEndpoint exclude) {
            if (endpoints.isEmpty()) {
                return null;
            }
            for (int attempt = 0; attempt < 2 * endpoints.size(); attempt++) {
                int point = (int) RandomSource.below(random, totalWeight);
                int upper = 0;
                for (UpstreamEndpoint e : endpoints) {
                    upper += e.weight();
                    if (point < upper) {
                        if (usable(e, now, exclude)) {
                            return e;
                        }
                        break;
                    }
                }
            }
            for (UpstreamEndpoint e : endpoints) {
                if (usable(e, now, exclude)) {
                    return e;
                }
            }
            return fallback(now, exclude);
        }
    }

    /**
     * Ketama-style ring hash (Envoy's {@code RING_HASH}; Maglev settings use the same ring here, documented in
     * {@code docs/differences.md}). Without a hash key a random point is used, as Envoy does.
     */
    static final class RingHash extends LoadBalancer {
        private final long[] points;
        private final UpstreamEndpoint[] owners;

        RingHash(List<UpstreamEndpoint> endpoints, long minimumRingSize, RandomSource random) {
            super(endpoints, random);
            if (endpoints.isEmpty()) {
                points = new long[0];
                owners = new UpstreamEndpoint[0];
                return;
            }
            long size = Math.min(Math.max(minimumRingSize <= 0 ? 1024 : minimumRingSize, endpoints.size()), 1 << 20);
            int totalWeight = 0;
            for (UpstreamEndpoint e : endpoints) {
                totalWeight += e.weight();
            }
            long[][] pairs = new long[0][];
            java.util.ArrayList<long[]> list = new java.util.ArrayList<>();
            for (int i = 0; i < endpoints.size(); i++) {
                UpstreamEndpoint e = endpoints.get(i);
                long replicas = Math.max(1, size * e.weight() / totalWeight);
                for (long r = 0; r < replicas; r++) {
                    list.add(new long[] {Hashing.hash64(e.hostPort() + "_" + r), i});
                }
            }
            pairs = list.toArray(pairs);
            Arrays.sort(pairs, (x, y) -> Long.compareUnsigned(x[0], y[0]));
            points = new long[pairs.length];
            owners = new UpstreamEndpoint[pairs.length];
            for (int i = 0; i < pairs.length; i++) {
                points[i] = pairs[i][0];
                owners[i] = endpoints.get((int) pairs[i][1]);
            }
        }

        @Override
        public UpstreamEndpoint choose(long hash, boolean hasHash, long now, UpstreamEndpoint exclude) {
            if (points.length == 0) {
                return null;
            }
            long h = hasHash ? hash : random.nextLong();
            int idx = lowerBound(h);
            for (int i = 0; i < owners.length; i++) {
                UpstreamEndpoint e = owners[(idx + i) % owners.length];
                if (usable(e, now, exclude)) {
                    return e;
                }
            }
            return fallback(now, exclude);
        }

        private int lowerBound(long h) {
            int lo = 0;
            int hi = points.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(points[mid], h) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == points.length ? 0 : lo;
        }
    }
}
