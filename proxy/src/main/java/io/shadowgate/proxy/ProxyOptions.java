package io.shadowgate.proxy;

import java.time.Duration;

/**
 * Every limit and default of the data path, with its unit. Immutable; build with {@link #builder()}.
 *
 * @param ioThreads                 event-loop threads (0: available processors)
 * @param maxInitialLineBytes       longest request line; longer answers 414
 * @param maxHeaderBytes            largest request header block; larger answers 431
 * @param maxHeaderCount            most request headers; more answers 431
 * @param maxRequestBodyBytes       largest request body; larger answers 413 (-1: unlimited)
 * @param requestHeadersTimeout     time to receive a request's headers once its first byte arrived (slowloris guard);
 *                                  answers 408 and closes
 * @param idleTimeout               a keep-alive client connection with no request in flight is closed after this
 * @param maxConnectionsPerListener accepted connections per listener; further ones are closed at once
 * @param drainTimeout              on shutdown, how long in-flight requests may take to finish
 * @param shadowHostSuffix          append {@code -shadow} to a mirrored request's authority (Istio before 1.28)
 * @param mirrorMarkerHeader        header added to every mirrored request ({@code null}: none)
 * @param mirrorMaxInFlight         mirrored requests in flight per mirror cluster; more are dropped
 * @param mirrorTimeout             a mirrored request's timeout when its route has none
 * @param mirrorMaxBufferedBytes    bytes buffered for one mirrored request (body waiting for a slow mirror); more
 *                                  abandons that mirror
 * @param mirrorGlobalBufferedBytes bytes buffered for all mirrored requests together; more abandons the mirror
 * @param mirrorMaxResponseBytes    bytes of a mirror's response read before the rest is cut off
 * @param compareByDefault          whether mirrored exchanges are compared when the route does not say
 * @param compareMaxBodyBytes       bytes of each response body kept for comparison
 * @param retryBufferBytes          request body bytes kept so a retry can replay them; a larger body is not retried
 * @param requestBodyTimeout        longest wait for the next piece of a request body once the gateway asked for it
 *                                  (slow-POST guard, nginx's {@code client_body_timeout}); answers 408 and closes
 * @param responseSendTimeout       longest a client may leave the response stuck by not reading it (slow-read guard,
 *                                  nginx's {@code send_timeout}); the connection is closed
 * @param retryGlobalBufferBytes    request body bytes kept for retries by all requests together; a request that
 *                                  cannot reserve its copy is not retried (counted), never truncated
 * @param compareNoiseSamplePercent share of compared safe requests (GET, HEAD, OPTIONS unless the route says otherwise)
 *                                  also sent a second time to the primary's own version once that destination has
 *                                  had {@code compareNoiseSampleLearning} samples (all of them before), so that what
 *                                  differs between two answers of one version is the noise v2 is judged against
 *                                  (Diffy's primary/secondary); 0 turns samples off, the library default (the gateway's
 *                                  command line turns them on: {@code --compare-noise-samples 15})
 * @param compareNoiseSampleLearning samples per primary destination sent at 100% before the share drops to
 *                                  {@code compareNoiseSamplePercent} (default 1,000)
 * @param compareNoiseSamplesPerSecond cap on the extra load samples put on each primary destination, in requests
 *                                  per second (bursts of one second's worth; default 25; 0 turns samples off); a route
 *                                  may set its own with {@code shadowgate.io/noise-samples-per-second}
 * @param mirrorCpuBudget           share of an event loop's wall-clock time (0..1) above which that loop starts no
 *                                  new mirrors ({@code dropped_cpu}) for the next 100 ms, so mirrors never take CPU
 *                                  from primaries; 1 turns the budget off
 */
public record ProxyOptions(int ioThreads, int maxInitialLineBytes, int maxHeaderBytes, int maxHeaderCount,
                           long maxRequestBodyBytes, Duration requestHeadersTimeout, Duration idleTimeout,
                           int maxConnectionsPerListener, Duration drainTimeout, boolean shadowHostSuffix,
                           String mirrorMarkerHeader, int mirrorMaxInFlight, Duration mirrorTimeout,
                           long mirrorMaxBufferedBytes, long mirrorGlobalBufferedBytes, long mirrorMaxResponseBytes,
                           boolean compareByDefault, int compareMaxBodyBytes, int retryBufferBytes,
                           Duration requestBodyTimeout, Duration responseSendTimeout, long retryGlobalBufferBytes,
                           double compareNoiseSamplePercent, double mirrorCpuBudget, long compareNoiseSampleLearning,
                           double compareNoiseSamplesPerSecond) {

    /** The name of the marker header on mirrored requests, unless turned off. */
    public static final String DEFAULT_MIRROR_MARKER = "x-shadowgate-mirror";

    /**
     * Default {@link #mirrorCpuBudget()}: off (1), so {@code mirrorPercentage} is honoured whatever the load, as in
     * Envoy; 0.8 is the documented opt-in value.
     */
    public static final double DEFAULT_MIRROR_CPU_BUDGET = 1;

    /** Defaults, as documented in {@code docs/hardening.md and docs/mirroring.md (and shadowgate run --help)}. */
    public static ProxyOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ioThreads = ioThreads;
        b.maxInitialLineBytes = maxInitialLineBytes;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxHeaderCount = maxHeaderCount;
        b.maxRequestBodyBytes = maxRequestBodyBytes;
        b.requestHeadersTimeout = requestHeadersTimeout;
        b.idleTimeout = idleTimeout;
        b.maxConnectionsPerListener = maxConnectionsPerListener;
        b.drainTimeout = drainTimeout;
        b.shadowHostSuffix = shadowHostSuffix;
        b.mirrorMarkerHeader = mirrorMarkerHeader;
        b.mirrorMaxInFlight = mirrorMaxInFlight;
        b.mirrorTimeout = mirrorTimeout;
        b.mirrorMaxBufferedBytes = mirrorMaxBufferedBytes;
        b.mirrorGlobalBufferedBytes = mirrorGlobalBufferedBytes;
        b.mirrorMaxResponseBytes = mirrorMaxResponseBytes;
        b.compareByDefault = compareByDefault;
        b.compareMaxBodyBytes = compareMaxBodyBytes;
        b.retryBufferBytes = retryBufferBytes;
        b.requestBodyTimeout = requestBodyTimeout;
        b.responseSendTimeout = responseSendTimeout;
        b.retryGlobalBufferBytes = retryGlobalBufferBytes;
        b.compareNoiseSamplePercent = compareNoiseSamplePercent;
        b.mirrorCpuBudget = mirrorCpuBudget;
        b.compareNoiseSampleLearning = compareNoiseSampleLearning;
        b.compareNoiseSamplesPerSecond = compareNoiseSamplesPerSecond;
        return b;
    }

    /** Mutable builder; every setter validates its argument. */
    public static final class Builder {
        private int ioThreads = 0;
        private int maxInitialLineBytes = 8 * 1024;
        private int maxHeaderBytes = 60 * 1024;
        private int maxHeaderCount = 100;
        private long maxRequestBodyBytes = -1;
        private Duration requestHeadersTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxConnectionsPerListener = 10_000;
        private Duration drainTimeout = Duration.ofSeconds(15);
        private boolean shadowHostSuffix = false;
        private String mirrorMarkerHeader = DEFAULT_MIRROR_MARKER;
        private int mirrorMaxInFlight = 1024;
        private Duration mirrorTimeout = Duration.ofSeconds(10);
        private long mirrorMaxBufferedBytes = 4L * 1024 * 1024;
        private long mirrorGlobalBufferedBytes = 64L * 1024 * 1024;
        private long mirrorMaxResponseBytes = 1024L * 1024;
        private boolean compareByDefault = true;
        private double compareNoiseSamplePercent = 0;
        private long compareNoiseSampleLearning = 1_000;
        private double compareNoiseSamplesPerSecond = 25;
        private int compareMaxBodyBytes = 256 * 1024;
        private int retryBufferBytes = 64 * 1024;
        private Duration requestBodyTimeout = Duration.ofSeconds(60);
        private Duration responseSendTimeout = Duration.ofSeconds(60);
        private long retryGlobalBufferBytes = 64L * 1024 * 1024;
        private double mirrorCpuBudget = DEFAULT_MIRROR_CPU_BUDGET;

        private Builder() {
        }

        public Builder ioThreads(int v) {
            ioThreads = atLeast("ioThreads", v, 0);
            return this;
        }

        public Builder maxInitialLineBytes(int v) {
            maxInitialLineBytes = atLeast("maxInitialLineBytes", v, 64);
            return this;
        }

        public Builder maxHeaderBytes(int v) {
            maxHeaderBytes = atLeast("maxHeaderBytes", v, 256);
            return this;
        }

        public Builder maxHeaderCount(int v) {
            maxHeaderCount = atLeast("maxHeaderCount", v, 1);
            return this;
        }

        public Builder maxRequestBodyBytes(long v) {
            if (v < -1) {
                throw new IllegalArgumentException("maxRequestBodyBytes: " + v + " (expected: -1 or >= 0)");
            }
            maxRequestBodyBytes = v;
            return this;
        }

        public Builder requestHeadersTimeout(Duration v) {
            requestHeadersTimeout = positive("requestHeadersTimeout", v);
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = positive("idleTimeout", v);
            return this;
        }

        public Builder maxConnectionsPerListener(int v) {
            maxConnectionsPerListener = atLeast("maxConnectionsPerListener", v, 1);
            return this;
        }

        public Builder drainTimeout(Duration v) {
            drainTimeout = positive("drainTimeout", v);
            return this;
        }

        public Builder shadowHostSuffix(boolean v) {
            shadowHostSuffix = v;
            return this;
        }

        /** {@code null} or empty turns the marker off. */
        public Builder mirrorMarkerHeader(String v) {
            mirrorMarkerHeader = v == null || v.isBlank() ? null : v.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        public Builder mirrorMaxInFlight(int v) {
            mirrorMaxInFlight = atLeast("mirrorMaxInFlight", v, 1);
            return this;
        }

        public Builder mirrorTimeout(Duration v) {
            mirrorTimeout = positive("mirrorTimeout", v);
            return this;
        }

        public Builder mirrorMaxBufferedBytes(long v) {
            mirrorMaxBufferedBytes = atLeast("mirrorMaxBufferedBytes", v, 1024);
            return this;
        }

        public Builder mirrorGlobalBufferedBytes(long v) {
            mirrorGlobalBufferedBytes = atLeast("mirrorGlobalBufferedBytes", v, 1024);
            return this;
        }

        public Builder mirrorMaxResponseBytes(long v) {
            mirrorMaxResponseBytes = atLeast("mirrorMaxResponseBytes", v, 0);
            return this;
        }

        public Builder compareByDefault(boolean v) {
            compareByDefault = v;
            return this;
        }

        public Builder compareMaxBodyBytes(int v) {
            compareMaxBodyBytes = atLeast("compareMaxBodyBytes", v, 0);
            return this;
        }

        public Builder retryBufferBytes(int v) {
            retryBufferBytes = atLeast("retryBufferBytes", v, 0);
            return this;
        }

        public Builder requestBodyTimeout(Duration v) {
            requestBodyTimeout = positive("requestBodyTimeout", v);
            return this;
        }

        public Builder responseSendTimeout(Duration v) {
            responseSendTimeout = positive("responseSendTimeout", v);
            return this;
        }

        public Builder retryGlobalBufferBytes(long v) {
            retryGlobalBufferBytes = atLeast("retryGlobalBufferBytes", v, 0);
            return this;
        }

        /** Percent (0..100) of compared GET/HEAD requests that also get a noise sample; 0 is off. */
        public Builder compareNoiseSamplePercent(double v) {
            if (!(v >= 0 && v <= 100)) {
                throw new IllegalArgumentException("compareNoiseSamplePercent: " + v + " (expected: 0..100)");
            }
            compareNoiseSamplePercent = v;
            return this;
        }

        /**
         * Share (0..1) of an event loop's time above which it starts no new mirrors; 1 turns the budget off, 0
         * skips every mirror.
         */
        public Builder compareNoiseSampleLearning(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("compareNoiseSampleLearning: " + v + " (expected: >= 0)");
            }
            compareNoiseSampleLearning = v;
            return this;
        }

        public Builder compareNoiseSamplesPerSecond(double v) {
            if (!(v >= 0 && v <= 1_000_000)) {
                throw new IllegalArgumentException("compareNoiseSamplesPerSecond: " + v + " (expected: 0..1000000)");
            }
            compareNoiseSamplesPerSecond = v;
            return this;
        }

        public Builder mirrorCpuBudget(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("mirrorCpuBudget: " + v + " (expected: 0..1, 1 = off)");
            }
            mirrorCpuBudget = v;
            return this;
        }

        public ProxyOptions build() {
            return new ProxyOptions(ioThreads, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount,
                    maxRequestBodyBytes, requestHeadersTimeout, idleTimeout, maxConnectionsPerListener, drainTimeout,
                    shadowHostSuffix, mirrorMarkerHeader, mirrorMaxInFlight, mirrorTimeout, mirrorMaxBufferedBytes,
                    mirrorGlobalBufferedBytes, mirrorMaxResponseBytes, compareByDefault, compareMaxBodyBytes,
                    retryBufferBytes, requestBodyTimeout, responseSendTimeout, retryGlobalBufferBytes,
                    compareNoiseSamplePercent, mirrorCpuBudget, compareNoiseSampleLearning,
                    compareNoiseSamplesPerSecond);
        }

        private static int atLeast(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: >= " + min + ")");
            }
            return v;
        }

        private static long atLeast(String name, long v, long min) {
            if (v < min) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: >= " + min + ")");
            }
            return v;
        }

        private static Duration positive(String name, Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
            }
            return v;
        }
    }
}
