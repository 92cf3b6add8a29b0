package io.shadowgate.telemetry.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shadowgate.proxy.observe.RequestLog;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How one {@link RequestLog} becomes one line (without the trailing newline).
 *
 * <p>{@link #JSON} writes the keys {@code start_time, method, path, protocol, response_code, response_flags,
 * bytes_received, bytes_sent, duration, upstream_host, upstream_cluster, route_name, x_request_id, trace_id,
 * authority, user_agent, downstream_remote_address, mirror, mirror_outcome} in that order; absent values are
 * {@code null}, {@code duration} is whole milliseconds, {@code start_time} is UTC with milliseconds.
 *
 * <p>{@link #TEXT} is Envoy's default access log format
 *
 * <pre>
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
 * %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
 * "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
 * </pre>
 *
 * followed by five Shadowgate fields, so a parser of Envoy's default format still reads the first fifteen:
 * {@code %UPSTREAM_CLUSTER% %DOWNSTREAM_REMOTE_ADDRESS% %ROUTE_NAME% "%TRACE_ID%" %MIRROR%}, where {@code %MIRROR%}
 * is {@code -} for a client request and {@code mirror:<outcome>} for a mirrored one. Fields the proxy does not
 * record ({@code x-envoy-upstream-service-time}, {@code x-forwarded-for}) print {@code -}, as Envoy prints unset
 * values. Control characters in values are replaced with a space so one request is always one line.
 */
public enum AccessLogFormat {

    /** One JSON object per line (the default). */
    JSON {
        @Override
        public String format(RequestLog log) {
            StringWriter out = new StringWriter(512);
            try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("start_time", time(log.startTime()));
                g.writeStringField("method", log.method());
                g.writeStringField("path", log.path());
                g.writeStringField("protocol", log.protocol());
                g.writeNumberField("response_code", log.status());
                g.writeStringField("response_flags", log.flags() == null ? "-" : log.flags());
                g.writeNumberField("bytes_received", log.bytesReceived());
                g.writeNumberField("bytes_sent", log.bytesSent());
                g.writeNumberField("duration", log.durationNanos() / 1_000_000L);
                g.writeStringField("upstream_host", log.upstreamHost());
                g.writeStringField("upstream_cluster", log.cluster());
                g.writeStringField("route_name", log.routeName());
                g.writeStringField("x_request_id", log.requestId());
                g.writeStringField("trace_id", log.traceId());
                g.writeStringField("authority", log.authority());
                g.writeStringField("user_agent", log.userAgent());
                g.writeStringField("downstream_remote_address", log.downstreamRemote());
                g.writeBooleanField("mirror", log.mirror());
                g.writeStringField("mirror_outcome", log.mirrorOutcome());
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    },

    /** Envoy's default text format plus Shadowgate's fields. */
    TEXT {
        @Override
        public String format(RequestLog log) {
            StringBuilder sb = new StringBuilder(256);
            sb.append('[').append(time(log.startTime())).append("] \"");
            field(sb, log.method()).append(' ');
            field(sb, log.path()).append(' ');
            field(sb, log.protocol()).append("\" ");
            sb.append(log.status()).append(' ');
            field(sb, log.flags()).append(' ');
            sb.append(log.bytesReceived()).append(' ');
            sb.append(log.bytesSent()).append(' ');
            sb.append(log.durationNanos() / 1_000_000L).append(' ');
            sb.append("- ");                         // %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
            sb.append("\"-\" \"");                   // "%REQ(X-FORWARDED-FOR)%"
            field(sb, log.userAgent()).append("\" \"");
            field(sb, log.requestId()).append("\" \"");
            field(sb, log.authority()).append("\" \"");
            field(sb, log.upstreamHost()).append("\" ");
            field(sb, log.cluster()).append(' ');
            field(sb, log.downstreamRemote()).append(' ');
            field(sb, log.routeName()).append(" \"");
            field(sb, log.traceId()).append("\" ");
            if (log.mirror()) {
                sb.append("mirror:");
                field(sb, log.mirrorOutcome());
            } else {
                sb.append('-');
            }
            return sb.toString();
        }
    };

    private static final JsonFactory JSON_FACTORY = JsonFactory.builder().build();

    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The line for {@code log}, without a newline. */
    public abstract String format(RequestLog log);

    /** {@code json} or {@code text} (case-insensitive). */
    public static AccessLogFormat parse(String name) {
        if (name == null) {
            return JSON;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "json", "" -> JSON;
            case "text", "envoy" -> TEXT;
            default -> throw new IllegalArgumentException("access log format: " + name + " (expected: json or text)");
        };
    }

    private static String time(Instant t) {
        return t == null ? null : START_TIME.format(t);
    }

    private static StringBuilder field(StringBuilder sb, String v) {
        if (v == null || v.isEmpty()) {
            return sb.append('-');
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb;
    }
}
