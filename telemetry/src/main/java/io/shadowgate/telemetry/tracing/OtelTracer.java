package io.shadowgate.telemetry.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.proxy.observe.RequestTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's {@link RequestTracer} on the OpenTelemetry SDK.
 *
 * <p>Every routed request gets a SERVER span that continues the trace of its {@code traceparent} or B3 headers
 * (W3C wins when both are present) and is named after the route: the route's name, else its
 * {@code namespace/vs#index} key, else {@code unmatched}. Attributes: {@code http.request.method}, {@code url.path},
 * {@code url.query}, {@code server.address}, {@code user_agent.original}, {@code client.address},
 * {@code guid:x-request-id}, and at the end {@code http.response.status_code}, {@code shadowgate.route.name},
 * {@code shadowgate.route}, {@code upstream_cluster}, {@code upstream_address}, {@code response_flags},
 * {@code shadowgate.destination.version}; 5xx and no response mark the span as an error. Its context goes into the
 * upstream request in the configured formats.
 *
 * <p>Every mirror gets a CLIENT child span {@code mirror <cluster>} in the same trace with
 * {@code shadowgate.mirror=true}, {@code upstream_cluster} and, at the end, {@code shadowgate.mirror.outcome}; its
 * context goes into the mirrored request, with {@code sampled=0} unless
 * {@link TracingOptions#mirrorSampledDownstream()}.
 *
 * <p>Sampling is parent-based trace-id ratio. Spans are exported by a batch processor whose queue drops (never
 * blocks) when full, so no event loop waits for the exporter. {@link #close()} flushes.
 *
 * <p>With {@link TracingOptions.Exporter#NONE} ({@link #create(TracingOptions)}) there is no OpenTelemetry SDK at
 * all, as Envoy without a tracer: a request without trace headers costs three header lookups and nothing else, and
 * a request with them keeps them unchanged upstream (pass-through; the trace id is logged). Mirrored requests carry
 * the same context with {@code sampled=0} unless {@link TracingOptions#mirrorSampledDownstream()}.
 */
public final class OtelTracer implements RequestTracer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtelTracer.class);

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("guid:x-request-id");
    static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> REQUEST_BODY_SIZE = AttributeKey.longKey("http.request.body.size");
    static final AttributeKey<Long> RESPONSE_BODY_SIZE = AttributeKey.longKey("http.response.body.size");
    static final AttributeKey<String> ROUTE_NAME = AttributeKey.stringKey("shadowgate.route.name");
    static final AttributeKey<String> ROUTE_KEY = AttributeKey.stringKey("shadowgate.route");
    static final AttributeKey<String> UPSTREAM_CLUSTER = AttributeKey.stringKey("upstream_cluster");
    static final AttributeKey<String> UPSTREAM_ADDRESS = AttributeKey.stringKey("upstream_address");
    static final AttributeKey<String> RESPONSE_FLAGS = AttributeKey.stringKey("response_flags");
    static final AttributeKey<String> DESTINATION_VERSION = AttributeKey.stringKey("shadowgate.destination.version");
    static final AttributeKey<Boolean> MIRROR = AttributeKey.booleanKey("shadowgate.mirror");
    static final AttributeKey<String> MIRROR_OUTCOME = AttributeKey.stringKey("shadowgate.mirror.outcome");

    private static final TextMapGetter<RequestView> GETTER = (carrier, key) ->
            carrier == null ? null : carrier.header(key.toLowerCase(java.util.Locale.ROOT));

    private static final TextMapSetter<BiConsumer<String, String>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            // HTTP/1.1 names are case-insensitive; lower case is what Envoy writes (B3 uses "X-B3-TraceId").
            carrier.accept(key.toLowerCase(java.util.Locale.ROOT), value);
        }
    };

    /** Reads every format; W3C last so it wins when a request carries both. */
    private static final TextMapPropagator EXTRACTOR = TextMapPropagator.composite(
            B3Propagator.injectingMultiHeaders(), W3CTraceContextPropagator.getInstance());

    /** {@code null} in pass-through mode (no exporter): no span is ever built. */
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final TextMapPropagator injector;
    private final TracingOptions options;

    /** Pass-through: trace headers travel unchanged, nothing is recorded. */
    private OtelTracer(TracingOptions options) {
        this.options = options;
        this.provider = null;
        this.tracer = null;
        this.injector = null;
    }

    private OtelTracer(TracingOptions options, SpanExporter exporter) {
        this.options = options;
        SdkTracerProviderBuilder b = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), options.serviceName()))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.sampleRatio())));
        if (exporter != null) {
            b.addSpanProcessor(BatchSpanProcessor.builder(exporter)
                    .setScheduleDelay(Duration.ofMillis(500))
                    .setMaxQueueSize(8192)
                    .setMaxExportBatchSize(512)
                    .setExporterTimeout(options.exportTimeout())
                    .build());
        }
        this.provider = b.build();
        this.tracer = provider.get("io.shadowgate.proxy");
        List<TextMapPropagator> out = new ArrayList<>();
        for (TracingOptions.Propagation p : options.propagation()) {
            out.add(switch (p) {
                case TRACECONTEXT -> W3CTraceContextPropagator.getInstance();
                case B3 -> B3Propagator.injectingSingleHeader();
                case B3MULTI -> B3Propagator.injectingMultiHeaders();
            });
        }
        this.injector = TextMapPropagator.composite(out);
    }

    /** A tracer exporting as {@code options} say. */
    public static OtelTracer create(TracingOptions options) {
        Objects.requireNonNull(options, "options");
        SpanExporter exporter = exporterFor(options);
        if (exporter == null) {
            return new OtelTracer(options);
        }
        log.info("tracing: exporting spans with {} to {} (sample ratio {})", options.exporter(),
                options.effectiveEndpoint(), options.sampleRatio());
        return new OtelTracer(options, exporter);
    }

    /** Whether spans are recorded ({@code false}: trace headers are only passed through). */
    public boolean recording() {
        return provider != null;
    }

    /**
     * A tracer exporting to {@code exporter} (tests use an in-memory exporter), ignoring
     * {@link TracingOptions#exporter()}.
     */
    public static OtelTracer create(TracingOptions options, SpanExporter exporter) {
        return new OtelTracer(Objects.requireNonNull(options, "options"), Objects.requireNonNull(exporter, "exporter"));
    }

    /** The exporter for {@code options}, or {@code null} for {@link TracingOptions.Exporter#NONE}. */
    @SuppressWarnings("deprecation") // ZipkinSpanExporter: deprecated upstream (left the BOM), pinned by the parent pom
    static SpanExporter exporterFor(TracingOptions o) {
        String endpoint = o.effectiveEndpoint();
        switch (o.exporter()) {
            case NONE:
                return null;
            case OTLP_HTTP: {
                OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
                        .setTimeout(o.exportTimeout());
                o.headers().forEach(b::addHeader);
                return b.build();
            }
            case OTLP_GRPC: {
                OtlpGrpcSpanExporterBuilder b = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint)
                        .setTimeout(o.exportTimeout());
                o.headers().forEach(b::addHeader);
                return b.build();
            }
            case ZIPKIN:
                return ZipkinSpanExporter.builder().setSender(new JdkZipkinSender(endpoint, o.exportTimeout()))
                        .build();
            default:
                throw new IllegalArgumentException("exporter: " + o.exporter());
        }
    }

    /** The options this tracer runs with. */
    public TracingOptions options() {
        return options;
    }

    @Override
    public RequestTracer.Span start(RequestView request, String requestId) {
        String traceparent = request.header("traceparent");
        String b3 = request.header("b3");
        String b3TraceId = request.header("x-b3-traceid");
        boolean carriesContext = traceparent != null || b3 != null || b3TraceId != null;
        if (provider == null) {
            return carriesContext ? new PassThroughSpan(traceparent, b3, b3TraceId, false) : RequestTracer.Span.NOOP;
        }
        Context parent = carriesContext ? EXTRACTOR.extract(Context.root(), request, GETTER) : Context.root();
        String path = request.path();
        int q = path == null ? -1 : path.indexOf('?');
        var builder = tracer.spanBuilder("unmatched")
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAttribute(HTTP_METHOD, request.method())
                .setAttribute(URL_PATH, q < 0 ? path : path.substring(0, q))
                .setAttribute(SERVER_ADDRESS, request.authority())
                .setAttribute(CLIENT_ADDRESS, request.remoteAddress())
                .setAttribute(PROTOCOL_VERSION, protocolVersion(request.protocol()));
        if (q >= 0) {
            builder.setAttribute(URL_QUERY, path.substring(q + 1));
        }
        String ua = request.header("user-agent");
        if (ua != null) {
            builder.setAttribute(USER_AGENT, ua);
        }
        if (requestId != null) {
            builder.setAttribute(REQUEST_ID, requestId);
        }
        return new ServerSpan(builder.startSpan());
    }

    /** Exports every ended span now; {@code false} when that did not finish within {@code timeout}. */
    public boolean flush(Duration timeout) {
        if (provider == null) {
            return true;
        }
        CompletableResultCode r = provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return r.isSuccess();
    }

    /** Flushes (up to 10 s) and stops the exporter. */
    @Override
    public void close() {
        if (provider == null) {
            return;
        }
        CompletableResultCode r = provider.shutdown().join(10, TimeUnit.SECONDS);
        if (!r.isSuccess()) {
            log.warn("tracing: span exporter did not shut down cleanly (some spans may be lost)");
        }
    }

    private static String protocolVersion(String protocol) {
        if (protocol == null) {
            return "1.1";
        }
        return protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
    }

    private void inject(io.opentelemetry.api.trace.Span span, boolean forceUnsampled,
                        BiConsumer<String, String> setHeader) {
        SpanContext sc = span.getSpanContext();
        if (!sc.isValid()) {
            return;
        }
        io.opentelemetry.api.trace.Span carrier = span;
        if (forceUnsampled && sc.isSampled()) {
            carrier = io.opentelemetry.api.trace.Span.wrap(SpanContext.create(sc.getTraceId(), sc.getSpanId(),
                    TraceFlags.fromByte((byte) (sc.getTraceFlags().asByte() & ~0x01)), sc.getTraceState()));
        }
        injector.inject(Context.root().with(carrier), setHeader, SETTER);
    }

    private static String version(Map<String, String> labels) {
        return labels == null ? null : labels.get("version");
    }

    private static void common(io.opentelemetry.api.trace.Span span, RequestLog log) {
        if (log.status() > 0) {
            span.setAttribute(STATUS_CODE, (long) log.status());
        }
        span.setAttribute(REQUEST_BODY_SIZE, log.bytesReceived());
        span.setAttribute(RESPONSE_BODY_SIZE, log.bytesSent());
        if (log.cluster() != null) {
            span.setAttribute(UPSTREAM_CLUSTER, log.cluster());
        }
        if (log.upstreamHost() != null) {
            span.setAttribute(UPSTREAM_ADDRESS, log.upstreamHost());
        }
        span.setAttribute(RESPONSE_FLAGS, log.flags() == null ? "-" : log.flags());
        String v = version(log.destinationLabels());
        if (v != null) {
            span.setAttribute(DESTINATION_VERSION, v);
        }
    }

    /**
     * A request's incoming trace context, passed through without OpenTelemetry: the primary request already carries
     * the client's headers (they are end-to-end), so {@link #inject} writes nothing; a mirror's copy gets
     * {@code sampled=0} in every format present, unless mirrors keep the flag.
     */
    private final class PassThroughSpan implements RequestTracer.Span {
        private final String traceparent;
        private final String b3;
        private final String b3TraceId;
        private final boolean mirror;

        PassThroughSpan(String traceparent, String b3, String b3TraceId, boolean mirror) {
            this.traceparent = traceparent;
            this.b3 = b3;
            this.b3TraceId = b3TraceId;
            this.mirror = mirror;
        }

        @Override
        public void inject(BiConsumer<String, String> setHeader) {
            if (!mirror || options.mirrorSampledDownstream()) {
                return;
            }
            String tp = unsampledTraceparent(traceparent);
            if (tp != null) {
                setHeader.accept("traceparent", tp);
            }
            String single = unsampledB3(b3);
            if (single != null) {
                setHeader.accept("b3", single);
            }
            if (b3TraceId != null) {
                setHeader.accept("x-b3-sampled", "0");
            }
        }

        @Override
        public String traceId() {
            return passedTraceId(traceparent, b3, b3TraceId);
        }

        @Override
        public RequestTracer.Span mirrorChild(String cluster) {
            return new PassThroughSpan(traceparent, b3, b3TraceId, true);
        }
    }

    /** The trace id of the incoming headers, W3C first (as the extractor), or {@code null}. */
    static String passedTraceId(String traceparent, String b3, String b3TraceId) {
        if (traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-') {
            return traceparent.substring(3, 35);
        }
        if (b3 != null) {
            int dash = b3.indexOf('-');
            if (dash == 16 || dash == 32) {
                return dash == 16 ? "0000000000000000" + b3.substring(0, 16) : b3.substring(0, 32);
            }
        }
        if (b3TraceId != null && (b3TraceId.length() == 16 || b3TraceId.length() == 32)) {
            return b3TraceId.length() == 16 ? "0000000000000000" + b3TraceId : b3TraceId;
        }
        return null;
    }

    /** {@code traceparent} with the sampled bit cleared, or {@code null} when absent or not version-00 shaped. */
    static String unsampledTraceparent(String tp) {
        if (tp == null || tp.length() < 55 || tp.charAt(52) != '-') {
            return null;
        }
        int flags = Character.digit(tp.charAt(54), 16);
        if (flags < 0) {
            return null;
        }
        return tp.substring(0, 54) + Character.forDigit(flags & ~1, 16) + tp.substring(55);
    }

    /** The single {@code b3} header with its sampling state {@code 0}, or {@code null} when absent. */
    static String unsampledB3(String b3) {
        if (b3 == null) {
            return null;
        }
        String[] parts = b3.split("-", -1);
        if (parts.length == 1) {
            return "0"; // sampling state only: "1", "d" or "0"
        }
        if (parts.length == 2) {
            return b3 + "-0";
        }
        parts[2] = "0";
        return String.join("-", parts);
    }

    /** The server span of one request. */
    private final class ServerSpan implements RequestTracer.Span {
        private final io.opentelemetry.api.trace.Span span;

        ServerSpan(io.opentelemetry.api.trace.Span span) {
            this.span = span;
        }

        @Override
        public void inject(BiConsumer<String, String> setHeader) {
            OtelTracer.this.inject(span, false, setHeader);
        }

        @Override
        public String traceId() {
            SpanContext sc = span.getSpanContext();
            return sc.isValid() ? sc.getTraceId() : null;
        }

        @Override
        public RequestTracer.Span mirrorChild(String cluster) {
            io.opentelemetry.api.trace.Span child = tracer.spanBuilder("mirror " + cluster)
                    .setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.root().with(span))
                    .setAttribute(MIRROR, true)
                    .setAttribute(UPSTREAM_CLUSTER, cluster)
                    .startSpan();
            return new MirrorSpan(child);
        }

        @Override
        public void end(RequestLog log) {
            if (span.isRecording()) {
                String name = log.routeName() != null ? log.routeName()
                        : log.routeKey() != null ? log.routeKey() : "unmatched";
                span.updateName(name);
                if (log.routeName() != null) {
                    span.setAttribute(ROUTE_NAME, log.routeName());
                }
                if (log.routeKey() != null) {
                    span.setAttribute(ROUTE_KEY, log.routeKey());
                }
                common(span, log);
                if (log.status() >= 500 || log.status() == 0) {
                    span.setStatus(StatusCode.ERROR, log.status() == 0 ? "no response" : null);
                }
            }
            span.end();
        }
    }

    /** The client span of one mirrored request. */
    private final class MirrorSpan implements RequestTracer.Span {
        private final io.opentelemetry.api.trace.Span span;

        MirrorSpan(io.opentelemetry.api.trace.Span span) {
            this.span = span;
        }

        @Override
        public void inject(BiConsumer<String, String> setHeader) {
            OtelTracer.this.inject(span, !options.mirrorSampledDownstream(), setHeader);
        }

        @Override
        public String traceId() {
            SpanContext sc = span.getSpanContext();
            return sc.isValid() ? sc.getTraceId() : null;
        }

        @Override
        public void end(RequestLog log) {
            if (span.isRecording()) {
                span.setAttribute(HTTP_METHOD, log.method());
                String path = log.path();
                if (path != null) {
                    int q = path.indexOf('?');
                    span.setAttribute(URL_PATH, q < 0 ? path : path.substring(0, q));
                }
                common(span, log);
                String outcome = log.mirrorOutcome() == null ? "completed" : log.mirrorOutcome();
                span.setAttribute(MIRROR_OUTCOME, outcome);
                if (!"completed".equals(outcome)) {
                    span.setStatus(StatusCode.ERROR, outcome);
                }
            }
            span.end();
        }
    }
}
