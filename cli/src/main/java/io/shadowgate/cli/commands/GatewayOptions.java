package io.shadowgate.cli.commands;

import io.shadowgate.cli.gateway.GatewaySpec;
import io.shadowgate.control.ErrorPolicy;
import io.shadowgate.control.source.FileConfigSource;
import io.shadowgate.proxy.options.ProxyOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by {@code run} and {@code demo}: listeners, limits, mirroring and comparison defaults. */
public final class GatewayOptions {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8080",
            description = "Proxy listener when the config has no Gateway resources (default: ${DEFAULT-VALUE}).")
    public String listen;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off", defaultValue = "127.0.0.1:15000",
            description = "Admin listener: /ready, /healthz, /stats/prometheus, /config_dump, /compare…; 'off' "
                    + "starts none (no metrics endpoint, no rollback) (default: ${DEFAULT-VALUE}).")
    public String admin;

    @Option(names = "--admin-allow-non-loopback",
            description = "Allow --admin on a non-loopback address (it exposes config and controls).")
    public boolean adminAllowNonLoopback;

    @Option(names = "--apply-with-errors",
            description = "Apply a config whose check finds errors (unknown fields, missing subsets, ...) when it still "
                    + "compiles, at start-up and on every reload, instead of rejecting it and keeping the last good "
                    + "one; each time is logged as an error (like istioctl's --force). Default: off.")
    public boolean applyWithErrors;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Event-loop threads (0: one per CPU).")
    public int ioThreads;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|epoll|nio",
            description = "Netty transport: native epoll when it loads (Linux x86_64/aarch64), else NIO; 'epoll' "
                    + "fails when it cannot load (default: ${DEFAULT-VALUE}).")
    public String transport;

    @Option(names = "--drain-timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "On SIGTERM, how long in-flight requests may take to finish (default: ${DEFAULT-VALUE}).")
    public Duration drainTimeout;

    @Option(names = "--max-request-line-bytes", defaultValue = "8192",
            description = "Longest request line; longer answers 414 (default: ${DEFAULT-VALUE}).")
    public int maxRequestLineBytes;

    @Option(names = "--max-header-bytes", defaultValue = "61440",
            description = "Largest request header block; larger answers 431 (default: ${DEFAULT-VALUE}).")
    public int maxHeaderBytes;

    @Option(names = "--max-header-count", defaultValue = "100",
            description = "Most request headers; more answers 431 (default: ${DEFAULT-VALUE}).")
    public int maxHeaderCount;

    @Option(names = "--max-request-body-bytes", defaultValue = "-1",
            description = "Largest request body; larger answers 413 (-1: unlimited, the default).")
    public long maxRequestBodyBytes;

    @Option(names = "--request-headers-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time to receive a request's headers from its first byte; then 408 and close "
                    + "(default: ${DEFAULT-VALUE}).")
    public Duration requestHeadersTimeout;

    @Option(names = "--request-body-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest wait for the next piece of a request body (slow-POST guard); then 408 and close "
                    + "(default: ${DEFAULT-VALUE}).")
    public Duration requestBodyTimeout;

    @Option(names = "--response-send-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest a client may leave a response stuck by not reading it (slow-read guard); then the "
                    + "connection is reset (default: ${DEFAULT-VALUE}).")
    public Duration responseSendTimeout;

    @Option(names = "--retry-global-buffer-bytes", defaultValue = "67108864",
            description = "Request body bytes kept for retries by all requests together (default: ${DEFAULT-VALUE}).")
    public long retryGlobalBufferBytes;

    @Option(names = "--idle-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "A keep-alive client connection idle this long is closed (default: ${DEFAULT-VALUE}).")
    public Duration idleTimeout;

    @Option(names = "--max-connections", defaultValue = "10000",
            description = "Accepted connections per listener; more are closed at once (default: ${DEFAULT-VALUE}).")
    public int maxConnections;

    @Option(names = "--retry-buffer-bytes", defaultValue = "65536",
            description = "Request body bytes kept so a retry can replay them; a larger body is not retried "
                    + "(default: ${DEFAULT-VALUE}).")
    public int retryBufferBytes;

    @Option(names = "--shadow-host-suffix",
            description = "Append -shadow to mirrored requests' Host, as Istio before 1.28 did (default: off).")
    public boolean shadowHostSuffix;

    @Option(names = "--mirror-marker-header", defaultValue = ProxyOptions.DEFAULT_MIRROR_MARKER,
            description = "Header set to 'true' on every mirrored request; empty turns it off "
                    + "(default: ${DEFAULT-VALUE}).")
    public String mirrorMarkerHeader;

    @Option(names = "--mirror-max-inflight", defaultValue = "1024",
            description = "Mirrored requests in flight per mirror destination; more are dropped and counted.")
    public int mirrorMaxInFlight;

    @Option(names = "--mirror-cpu-budget", defaultValue = "off", paramLabel = "FRACTION|off",
            description = "An event loop busy this share of its time or more starts no mirrors for the next 100 ms "
                    + "(counted as dropped_cpu): the primary has priority. 'off' (or 1) disables it; 0.8 is a good value "
                    + "(default: ${DEFAULT-VALUE}).")
    public String mirrorCpuBudget;

    @Option(names = "--mirror-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "A mirrored request's timeout when its route sets none (default: ${DEFAULT-VALUE}).")
    public Duration mirrorTimeout;

    @Option(names = "--mirror-max-buffer-bytes", defaultValue = "4194304",
            description = "Bytes buffered for one mirrored request waiting for a slow mirror; more abandons it.")
    public long mirrorMaxBufferBytes;

    @Option(names = "--mirror-global-buffer-bytes", defaultValue = "67108864",
            description = "Bytes buffered for all mirrored requests together; more abandons mirrors.")
    public long mirrorGlobalBufferBytes;

    @Option(names = "--compare", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Compare mirror responses with primary responses (per-route override: annotation "
                    + "shadowgate.io/compare). Default: on.")
    public boolean compare;

    @Option(names = "--compare-noise-samples", defaultValue = "15", paramLabel = "PERCENT",
            description = "Send compared GET/HEAD/OPTIONS requests a second time to the primary's own version (all of "
                    + "them for a destination's first 1,000, then this percent) and judge v2's differences against "
                    + "what differs between two answers of v1 (Diffy's way). 0: off. Default: ${DEFAULT-VALUE}.")
    public double compareNoiseSamples;

    @Option(names = "--compare-noise-samples-per-second", defaultValue = "25", paramLabel = "N",
            description = "Cap on the extra requests per second those samples send to each primary destination "
                    + "(per-route annotation shadowgate.io/noise-samples-per-second). Default: ${DEFAULT-VALUE}.")
    public double compareNoiseSamplesPerSecond;

    @Option(names = "--compare-min-requests", defaultValue = "1000", paramLabel = "N",
            description = "Comparisons a route needs before its verdict can be PASS (FAIL needs only strong evidence). "
                    + "Default: ${DEFAULT-VALUE}.")
    public long compareMinRequests;

    @Option(names = "--compare-min-duration", defaultValue = "60s", converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Time since a route's first comparison before its verdict can be PASS. Default: "
                    + "${DEFAULT-VALUE}.")
    public Duration compareMinDuration;

    @Option(names = "--compare-ignore-header", paramLabel = "NAME",
            description = "A response header never compared (repeatable; 'x-foo-*' for a prefix), on top of the "
                    + "defaults (date, x-request-id, server, …).")
    public java.util.List<String> compareIgnoreHeaders = new java.util.ArrayList<>();

    @Option(names = "--compare-ignore-pointer", paramLabel = "JSON-POINTER",
            description = "A JSON body field never compared, e.g. /generatedAt or /items/*/ts (repeatable).")
    public java.util.List<String> compareIgnorePointers = new java.util.ArrayList<>();

    @Option(names = "--access-log", defaultValue = "stdout", paramLabel = "stdout|off|FILE",
            description = "Where access log lines go, one per request and one per mirror (default: ${DEFAULT-VALUE}).")
    public String accessLog;

    @Option(names = "--access-log-format", defaultValue = "json", paramLabel = "json|text",
            description = "JSON lines, or Envoy's default text format (default: ${DEFAULT-VALUE}).")
    public String accessLogFormat;

    @Option(names = "--tracing-exporter", defaultValue = "none", paramLabel = "none|otlp-http|otlp-grpc|zipkin",
            description = "Where spans go; trace context is propagated either way (default: ${DEFAULT-VALUE}).")
    public String tracingExporter;

    @Option(names = "--tracing-endpoint", paramLabel = "URL",
            description = "The exporter's endpoint (default: the exporter's usual localhost address).")
    public String tracingEndpoint;

    @Option(names = "--tracing-sample-ratio", defaultValue = "1.0",
            description = "Share of new traces sampled, 0..1; an incoming sampled flag wins (default: ${DEFAULT-VALUE}).")
    public double tracingSampleRatio;

    /**
     * The gateway these flags describe.
     *
     * @throws IllegalArgumentException for a value that does not parse (the message names the flag's value)
     */
    public GatewaySpec spec() {
        HostPort listenAt = HostPort.parse(listen, "0.0.0.0");
        return new GatewaySpec(listenAt.host(), listenAt.port(), adminEnabled() ? admin : null,
                adminAllowNonLoopback, transport, proxyOptions(), this::compareSettings, accessLog, accessLogFormat,
                tracingOptions(), gatewayIdentity(), applyWithErrors ? ErrorPolicy.APPLY : ErrorPolicy.REJECT,
                FileConfigSource.DEFAULT_POLL_INTERVAL);
    }

    @Option(names = "--tracing-propagation", defaultValue = "tracecontext,b3multi,b3", paramLabel = "LIST",
            description = "Trace header formats written upstream, comma-separated: tracecontext, b3multi, b3 "
                    + "(every format is read) (default: ${DEFAULT-VALUE}).")
    public String tracingPropagation;

    @Option(names = "--tracing-service-name", defaultValue = "shadowgate", paramLabel = "NAME",
            description = "service.name of the spans (default: ${DEFAULT-VALUE}).")
    public String tracingServiceName;

    @Option(names = "--tracing-mirror-sampled",
            description = "Keep the sampled flag on mirrored requests' trace headers, so v2 records its spans "
                    + "(default: off, sampled=0 as Envoy does for shadows).")
    public boolean tracingMirrorSampled;

    @Option(names = "--metrics-namespace", paramLabel = "NS",
            description = "source_workload_namespace of the Istio metrics (default: $POD_NAMESPACE, else unknown).")
    public String metricsNamespace;

    /** Whether an admin server is started ({@code --admin off} starts none). */
    public boolean adminEnabled() {
        return !"off".equalsIgnoreCase(admin.trim());
    }

    /** How requests are traced, as these flags describe it. */
    public io.shadowgate.telemetry.tracing.TracingOptions tracingOptions() {
        var exporter = io.shadowgate.telemetry.tracing.TracingOptions.Exporter.parse(tracingExporter);
        return io.shadowgate.telemetry.tracing.TracingOptions.of(exporter, tracingEndpoint, tracingSampleRatio)
                .withServiceName(tracingServiceName)
                .withPropagation(io.shadowgate.telemetry.tracing.TracingOptions.Propagation.parseList(
                        tracingPropagation))
                .withMirrorSampledDownstream(tracingMirrorSampled);
    }

    /** Who reports the Istio metrics ({@code source_workload_namespace} from {@code --metrics-namespace}). */
    public io.shadowgate.telemetry.metrics.GatewayIdentity gatewayIdentity() {
        var defaults = io.shadowgate.telemetry.metrics.GatewayIdentity.defaults();
        return metricsNamespace == null || metricsNamespace.isBlank() ? defaults
                : new io.shadowgate.telemetry.metrics.GatewayIdentity(defaults.workload(), metricsNamespace,
                        defaults.app());
    }

    /** The comparison settings these flags describe. */
    public io.shadowgate.compare.settings.CompareSettings compareSettings() {
        return compareSettings(null);
    }

    /**
     * The comparison settings these flags describe, with per-route rules from {@code routeRules} (the
     * configuration's {@code shadowgate.io/compare-ignore} annotations) added to the flags' global ones.
     */
    public io.shadowgate.compare.settings.CompareSettings compareSettings(
            java.util.function.Function<String, io.shadowgate.compare.settings.RouteOverrides> routeRules) {
        var b = io.shadowgate.compare.settings.CompareSettings.builder();
        compareIgnoreHeaders.forEach(b::ignoreHeader);
        compareIgnorePointers.forEach(b::ignorePointer);
        if (routeRules != null) {
            b.routeOverrides(routeRules);
        }
        b.minComparisons(compareMinRequests);
        b.verdictPolicy(io.shadowgate.compare.settings.VerdictPolicy.DEFAULTS.withMinDuration(compareMinDuration));
        return b.build();
    }

    /** The data-path options these flags describe. */
    public ProxyOptions proxyOptions() {
        return ProxyOptions.builder()
                .ioThreads(ioThreads)
                .drainTimeout(drainTimeout)
                .maxInitialLineBytes(maxRequestLineBytes)
                .maxHeaderBytes(maxHeaderBytes)
                .maxHeaderCount(maxHeaderCount)
                .maxRequestBodyBytes(maxRequestBodyBytes)
                .requestHeadersTimeout(requestHeadersTimeout)
                .idleTimeout(idleTimeout)
                .maxConnectionsPerListener(maxConnections)
                .retryBufferBytes(retryBufferBytes)
                .requestBodyTimeout(requestBodyTimeout)
                .responseSendTimeout(responseSendTimeout)
                .retryGlobalBufferBytes(retryGlobalBufferBytes)
                .shadowHostSuffix(shadowHostSuffix)
                .mirrorMarkerHeader(mirrorMarkerHeader)
                .mirrorMaxInFlight(mirrorMaxInFlight)
                .mirrorTimeout(mirrorTimeout)
                .mirrorCpuBudget("off".equalsIgnoreCase(mirrorCpuBudget) ? 1 : Double.parseDouble(mirrorCpuBudget))
                .mirrorMaxBufferedBytes(mirrorMaxBufferBytes)
                .mirrorGlobalBufferedBytes(mirrorGlobalBufferBytes)
                .compareByDefault(compare)
                .compareNoiseSamplePercent(compareNoiseSamples)
                .compareNoiseSamplesPerSecond(compareNoiseSamplesPerSecond)
                .build();
    }
}
