package io.shadowgate.config.snapshot;

import java.time.Duration;
import java.util.Set;

/**
 * Shadowgate's mirror options for one VirtualService, from its {@code shadowgate.io/} annotations. Every
 * {@code null} field means "use the gateway-wide default" (command line).
 *
 * @param methods          mirror only these methods (upper case); empty means all
 * @param stripHeaders     lower-case header names removed from the copy only
 * @param copyHeaders      header operations applied to the copy only (after the route's)
 * @param sampleKey        deterministic sampling key, or {@code null} for the request's random value
 * @param shadowHostSuffix whether {@code -shadow} is appended to the copy's authority
 * @param maxInFlight      per mirror destination
 * @param timeout          per mirrored request
 * @param maxBufferedBytes per mirrored request
 * @param compareIgnore    differences the comparison ignores on these routes (known, intended changes)
 * @param noiseSamplesPerSecond cap on the noise samples (second copies to the primary's own version) this route's
 *                         requests may add to the primary destination, requests per second; 0 forbids them
 * @param noiseSampleMethods methods whose requests may be sent twice to the primary's version (upper case); {@code null}
 *                         means the safe ones ({@link #SAFE_METHODS})
 */
public record MirrorOptions(Set<String> methods, Set<String> stripHeaders, HeaderOps copyHeaders, SampleKey sampleKey,
                            Boolean shadowHostSuffix, Integer maxInFlight, Duration timeout, Long maxBufferedBytes,
                            CompareIgnore compareIgnore, Double noiseSamplesPerSecond,
                            Set<String> noiseSampleMethods) {

    /** Methods safe to send twice: noise samples are limited to them unless a route names others. */
    public static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** No annotations: all defaults. */
    public static final MirrorOptions DEFAULTS =
            new MirrorOptions(Set.of(), Set.of(), HeaderOps.NONE, null, null, null, null, null, null, null, null);

    public MirrorOptions {
        methods = Set.copyOf(methods);
        stripHeaders = Set.copyOf(stripHeaders);
        if (compareIgnore == null) {
            compareIgnore = CompareIgnore.NONE;
        }
        noiseSampleMethods = noiseSampleMethods == null ? null : Set.copyOf(noiseSampleMethods);
    }

    /** Options without comparison ignore rules or noise-sample settings. */
    public MirrorOptions(Set<String> methods, Set<String> stripHeaders, HeaderOps copyHeaders, SampleKey sampleKey,
                         Boolean shadowHostSuffix, Integer maxInFlight, Duration timeout, Long maxBufferedBytes) {
        this(methods, stripHeaders, copyHeaders, sampleKey, shadowHostSuffix, maxInFlight, timeout, maxBufferedBytes,
                CompareIgnore.NONE, null, null);
    }

    /** Options without comparison ignore rules. */
    public MirrorOptions(Set<String> methods, Set<String> stripHeaders, HeaderOps copyHeaders, SampleKey sampleKey,
                         Boolean shadowHostSuffix, Integer maxInFlight, Duration timeout, Long maxBufferedBytes,
                         Double noiseSamplesPerSecond, Set<String> noiseSampleMethods) {
        this(methods, stripHeaders, copyHeaders, sampleKey, shadowHostSuffix, maxInFlight, timeout, maxBufferedBytes,
                CompareIgnore.NONE, noiseSamplesPerSecond, noiseSampleMethods);
    }

    /** Whether a request with this method may get a noise sample (sent a second time to the primary's version). */
    public boolean allowsNoiseSample(String method) {
        return (noiseSampleMethods == null ? SAFE_METHODS : noiseSampleMethods).contains(method);
    }

    /** Whether a request with this method may be mirrored. */
    public boolean allowsMethod(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /**
     * A deterministic sampling key: the same user is always mirrored or never.
     *
     * @param source {@code header}, {@code cookie} or {@code query}
     * @param name   the header (lower case), cookie or query parameter name
     */
    public record SampleKey(String source, String name) {

        /** The key's value in {@code request}, or {@code null} when absent (then the random value decides). */
        public String valueIn(RequestView request) {
            return switch (source) {
                case "header" -> request.header(name);
                case "cookie" -> request.cookie(name);
                case "query" -> request.queryParam(name);
                default -> null;
            };
        }
    }
}
