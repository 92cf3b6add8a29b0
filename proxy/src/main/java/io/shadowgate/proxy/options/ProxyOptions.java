package io.shadowgate.proxy.options;

import io.shadowgate.proxy.runtime.Transport;
import java.time.Duration;

/**
 * Every limit and default of the data path, with its unit, grouped as reactor-netty groups its server config:
 * {@link ListenerLimits} (client connections and requests), {@link MirrorBudgets}, {@link RetryBudgets},
 * {@link CaptureOptions}, the event-loop threads, the Netty {@link Transport} and the drain timeout. Immutable; build
 * with {@link #builder()} (flat setters, each validated).
 *
 * @param ioThreads    event-loop threads (0: available processors)
 * @param transport    the Netty transport of listeners and upstream connections; {@code null}: {@link Transport#best()}
 * @param drainTimeout on shutdown, how long in-flight requests may take to finish
 * @param listener     client connection and request limits
 * @param mirror       mirror budgets and the shape of the copy
 * @param retry        retry body-replay budgets
 * @param capture      response capture for comparison
 */
public record ProxyOptions(int ioThreads, Transport transport, Duration drainTimeout, ListenerLimits listener,
                           MirrorBudgets mirror, RetryBudgets retry, CaptureOptions capture) {

    /** The transport to use: the configured one, else the process default ({@link Transport#best()}). */
    public Transport transportOrBest() {
        return transport != null ? transport : Transport.best();
    }

    /** The name of the marker header on mirrored requests, unless turned off. */
    public static final String DEFAULT_MIRROR_MARKER = "x-shadowgate-mirror";

    /**
     * Default {@link MirrorBudgets#cpuBudget()}: off (1), so {@code mirrorPercentage} is honoured whatever the load, as in
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
        b.transport = transport;
        b.drainTimeout = drainTimeout;
        b.maxInitialLineBytes = listener.maxInitialLineBytes();
        b.maxHeaderBytes = listener.maxHeaderBytes();
        b.maxHeaderCount = listener.maxHeaderCount();
        b.maxRequestBodyBytes = listener.maxRequestBodyBytes();
        b.requestHeadersTimeout = listener.requestHeadersTimeout();
        b.idleTimeout = listener.idleTimeout();
        b.maxConnectionsPerListener = listener.maxConnectionsPerListener();
        b.requestBodyTimeout = listener.requestBodyTimeout();
        b.responseSendTimeout = listener.responseSendTimeout();
        b.mirrorMaxInFlight = mirror.maxInFlight();
        b.mirrorTimeout = mirror.timeout();
        b.mirrorMaxBufferedBytes = mirror.maxBufferedBytes();
        b.mirrorGlobalBufferedBytes = mirror.globalBufferedBytes();
        b.mirrorMaxResponseBytes = mirror.maxResponseBytes();
        b.mirrorCpuBudget = mirror.cpuBudget();
        b.shadowHostSuffix = mirror.shadowHostSuffix();
        b.mirrorMarkerHeader = mirror.markerHeader();
        b.retryBufferBytes = retry.bufferBytes();
        b.retryGlobalBufferBytes = retry.globalBufferBytes();
        b.compareByDefault = capture.compareByDefault();
        b.compareMaxBodyBytes = capture.maxBodyBytes();
        b.compareNoiseSamplePercent = capture.noiseSamplePercent();
        b.compareNoiseSampleLearning = capture.noiseSampleLearning();
        b.compareNoiseSamplesPerSecond = capture.noiseSamplesPerSecond();
        return b;
    }

    /** Mutable builder; every setter validates its argument. */
    public static final class Builder {
        private int ioThreads = 0;
        private Transport transport;
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

        /** The Netty transport; {@code null} (the default) uses {@link Transport#best()}. */
        public Builder transport(Transport v) {
            transport = v;
            return this;
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
            return new ProxyOptions(ioThreads, transport, drainTimeout,
                    new ListenerLimits(maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, maxRequestBodyBytes,
                            requestHeadersTimeout, idleTimeout, maxConnectionsPerListener, requestBodyTimeout,
                            responseSendTimeout),
                    new MirrorBudgets(mirrorMaxInFlight, mirrorTimeout, mirrorMaxBufferedBytes,
                            mirrorGlobalBufferedBytes, mirrorMaxResponseBytes, mirrorCpuBudget, shadowHostSuffix,
                            mirrorMarkerHeader),
                    new RetryBudgets(retryBufferBytes, retryGlobalBufferBytes),
                    new CaptureOptions(compareByDefault, compareMaxBodyBytes, compareNoiseSamplePercent,
                            compareNoiseSampleLearning, compareNoiseSamplesPerSecond));
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
