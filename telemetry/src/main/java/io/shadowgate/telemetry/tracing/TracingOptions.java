package io.shadowgate.telemetry.tracing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How requests are traced.
 *
 * @param exporter              where spans go
 * @param endpoint              the exporter's URL, or {@code null} for its default ({@link #effectiveEndpoint()})
 * @param sampleRatio           share of new traces sampled, 0..1 (parent-based: a request that arrives with a
 *                              sampled or unsampled parent keeps that decision). Istio's default is 0.01
 * @param serviceName           the {@code service.name} resource attribute
 * @param propagation           the formats written into upstream requests; incoming requests are read in every
 *                              format (W3C wins over B3 when both are present)
 * @param mirrorSampledDownstream whether a mirrored request's trace headers keep the sampled flag. {@code false}
 *                              (default, as Envoy does for shadows, istio/istio#22264): the mirror carries the trace
 *                              with {@code sampled=0}, so v2's own spans are not recorded; Shadowgate still records
 *                              its own {@code mirror <cluster>} span
 * @param headers               extra headers for the exporter (authentication), may be empty
 * @param exportTimeout         timeout of one export call
 */
public record TracingOptions(Exporter exporter, String endpoint, double sampleRatio, String serviceName,
                             List<Propagation> propagation, boolean mirrorSampledDownstream,
                             Map<String, String> headers, Duration exportTimeout) {

    /** Span exporters. */
    public enum Exporter {
        /**
         * No export and no spans: incoming trace headers pass through unchanged (as Envoy without a tracer) and their
         * trace id appears in access logs; mirrors get them with {@code sampled=0}. No new trace is started.
         */
        NONE,
        /** OTLP over HTTP/protobuf; default endpoint {@code http://localhost:4318/v1/traces}. */
        OTLP_HTTP,
        /** OTLP over gRPC; default endpoint {@code http://localhost:4317}. */
        OTLP_GRPC,
        /** Zipkin v2 JSON over HTTP; default endpoint {@code http://localhost:9411/api/v2/spans}. */
        ZIPKIN;

        /** {@code none}, {@code otlp} / {@code otlp-http}, {@code otlp-grpc}, {@code zipkin} (case-insensitive). */
        public static Exporter parse(String name) {
            return switch (name == null ? "none" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "none", "off", "" -> NONE;
                case "otlp", "otlp-http", "http" -> OTLP_HTTP;
                case "otlp-grpc", "grpc" -> OTLP_GRPC;
                case "zipkin" -> ZIPKIN;
                default -> throw new IllegalArgumentException("tracing exporter: " + name
                        + " (expected: none, otlp-http, otlp-grpc or zipkin)");
            };
        }
    }

    /** Trace header formats, named as {@code OTEL_PROPAGATORS} names them. */
    public enum Propagation {
        /** W3C {@code traceparent} / {@code tracestate}. */
        TRACECONTEXT,
        /** B3 single header {@code b3: traceid-spanid-sampled}. */
        B3,
        /** B3 multi headers {@code x-b3-traceid}, {@code x-b3-spanid}, {@code x-b3-sampled} (what Envoy writes). */
        B3MULTI;

        /** {@code tracecontext}, {@code b3} or {@code b3multi}. */
        public static Propagation parse(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "tracecontext", "w3c" -> TRACECONTEXT;
                case "b3" -> B3;
                case "b3multi", "b3-multi" -> B3MULTI;
                default -> throw new IllegalArgumentException("trace propagation: " + name
                        + " (expected: tracecontext, b3 or b3multi)");
            };
        }

        /** A comma-separated list: {@code tracecontext,b3multi}. */
        public static List<Propagation> parseList(String names) {
            return java.util.Arrays.stream(names.split(",")).filter(s -> !s.isBlank()).map(Propagation::parse)
                    .distinct().toList();
        }
    }

    public TracingOptions {
        Objects.requireNonNull(exporter, "exporter");
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("sampleRatio: " + sampleRatio + " (expected: 0..1)");
        }
        serviceName = serviceName == null || serviceName.isBlank() ? "shadowgate" : serviceName;
        propagation = propagation == null || propagation.isEmpty()
                ? List.of(Propagation.TRACECONTEXT, Propagation.B3MULTI, Propagation.B3)
                : List.copyOf(propagation);
        headers = headers == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(headers));
        exportTimeout = exportTimeout == null || exportTimeout.isZero() || exportTimeout.isNegative()
                ? Duration.ofSeconds(10) : exportTimeout;
        if (endpoint != null && endpoint.isBlank()) {
            endpoint = null;
        }
    }

    /** No export, every trace sampled, all propagation formats. */
    public static TracingOptions defaults() {
        return new TracingOptions(Exporter.NONE, null, 1.0, "shadowgate", null, false, null, null);
    }

    /** {@code exporter} to {@code endpoint} ({@code null}: its default) with {@code sampleRatio}; other defaults. */
    public static TracingOptions of(Exporter exporter, String endpoint, double sampleRatio) {
        return new TracingOptions(exporter, endpoint, sampleRatio, "shadowgate", null, false, null, null);
    }

    /** A copy with other propagation formats. */
    public TracingOptions withPropagation(List<Propagation> formats) {
        return new TracingOptions(exporter, endpoint, sampleRatio, serviceName, formats, mirrorSampledDownstream,
                headers, exportTimeout);
    }

    /** A copy with {@code mirrorSampledDownstream} set. */
    public TracingOptions withMirrorSampledDownstream(boolean value) {
        return new TracingOptions(exporter, endpoint, sampleRatio, serviceName, propagation, value, headers,
                exportTimeout);
    }

    /** A copy with another service name. */
    public TracingOptions withServiceName(String name) {
        return new TracingOptions(exporter, endpoint, sampleRatio, name, propagation, mirrorSampledDownstream,
                headers, exportTimeout);
    }

    /** A copy with exporter headers. */
    public TracingOptions withHeaders(Map<String, String> exporterHeaders) {
        return new TracingOptions(exporter, endpoint, sampleRatio, serviceName, propagation, mirrorSampledDownstream,
                exporterHeaders, exportTimeout);
    }

    /** The endpoint, or the exporter's conventional default. */
    public String effectiveEndpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        return switch (exporter) {
            case NONE -> null;
            case OTLP_HTTP -> "http://localhost:4318/v1/traces";
            case OTLP_GRPC -> "http://localhost:4317";
            case ZIPKIN -> "http://localhost:9411/api/v2/spans";
        };
    }
}
