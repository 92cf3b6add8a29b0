package io.shadowgate.proxy.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link RequestLog} in stages, as the exchange learns things (Armeria's {@code RequestLogBuilder}): the
 * request when it arrives, the route and destination when they are decided, the endpoint per attempt, the response,
 * flags and byte counts as they happen. The router and the mirror stream both fill one, so the 24 fields are named
 * in one place. Not thread-safe: one per exchange, on its event loop.
 */
public final class ExchangeLog {

    private final Instant startTime;
    private final long startNanos;
    private String method;
    private String path;
    private String authority;
    private String protocol = "HTTP/1.1";
    private String requestId;
    private String traceId;
    private String downstreamRemote;
    private String userAgent;
    private String routeName;
    private String routeKey;
    private String cluster;
    private String destinationHost;
    private String destinationSubset;
    private String serviceNamespace;
    private String upstreamHost;
    private Map<String, String> destinationLabels = Map.of();
    private int status;
    /** Response flags in the order they were raised; {@code null} until the first (most requests have none). */
    private List<ResponseFlag> flags;
    private long bytesReceived;
    private long bytesSent;
    private boolean mirror;
    private String mirrorOutcome;

    /**
     * @param startTime  when the request arrived (wall clock)
     * @param startNanos the same moment on the monotonic clock (durations)
     */
    public ExchangeLog(Instant startTime, long startNanos) {
        this.startTime = startTime;
        this.startNanos = startNanos;
    }

    /** The request as received (for a mirror: as sent). */
    public ExchangeLog request(String method, String path, String authority, String protocol, String requestId) {
        this.method = method;
        this.path = path;
        this.authority = authority;
        this.protocol = protocol;
        this.requestId = requestId;
        return this;
    }

    /** The client's address and user agent. */
    public ExchangeLog client(String downstreamRemote, String userAgent) {
        this.downstreamRemote = downstreamRemote;
        this.userAgent = userAgent;
        return this;
    }

    /** The matched route's name and {@code namespace/vs#index} key. */
    public ExchangeLog route(String routeName, String routeKey) {
        this.routeName = routeName;
        this.routeKey = routeKey;
        return this;
    }

    /** The chosen destination: cluster, service host and subset. */
    public ExchangeLog destination(String cluster, String host, String subset) {
        this.cluster = cluster;
        this.destinationHost = host;
        this.destinationSubset = subset;
        return this;
    }

    /** The destination service's namespace. */
    public ExchangeLog namespace(String serviceNamespace) {
        this.serviceNamespace = serviceNamespace;
        return this;
    }

    /** The endpoint of the (last) attempt: {@code ip:port} and its labels. */
    public ExchangeLog endpoint(String hostPort, Map<String, String> labels) {
        this.upstreamHost = hostPort;
        this.destinationLabels = labels;
        return this;
    }

    /** The trace id, when known. */
    public ExchangeLog traceId(String traceId) {
        this.traceId = traceId;
        return this;
    }

    /** The response status (0: none). */
    public ExchangeLog status(int status) {
        this.status = status;
        return this;
    }

    /** The response status so far (0: none). */
    public int status() {
        return status;
    }

    /** Request body bytes received from the client (for a mirror: sent to it). */
    public ExchangeLog addBytesReceived(long n) {
        bytesReceived += n;
        return this;
    }

    /** Request body bytes counted so far. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Response body bytes sent to the client (for a mirror: received from it). */
    public ExchangeLog addBytesSent(long n) {
        bytesSent += n;
        return this;
    }

    /** Replaces the response byte count (a local reply's body). */
    public ExchangeLog bytesSent(long n) {
        bytesSent = n;
        return this;
    }

    /** Response body bytes counted so far. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Raises a response flag (kept in order; repeated flags are kept as raised). */
    public ExchangeLog flag(ResponseFlag flag) {
        if (flags == null) {
            flags = new ArrayList<>(2);
        }
        flags.add(flag);
        return this;
    }

    /** Whether {@code flag} was raised. */
    public boolean hasFlag(ResponseFlag flag) {
        return flags != null && flags.contains(flag);
    }

    /** Marks the log as a mirror's, with how it ended. */
    public ExchangeLog mirror(MirrorOutcome outcome) {
        this.mirror = true;
        this.mirrorOutcome = outcome.label();
        return this;
    }

    /** Nanoseconds since the start, on the monotonic clock. */
    public long elapsedNanos(long nowNanos) {
        return nowNanos - startNanos;
    }

    /**
     * The immutable log as of now.
     *
     * @param nowNanos the monotonic clock now (the duration ends here)
     */
    public RequestLog build(long nowNanos) {
        return new RequestLog(startTime, method, path, authority, protocol, status, flagText(), bytesReceived,
                bytesSent, nowNanos - startNanos, upstreamHost, cluster, routeName, routeKey, requestId, traceId,
                destinationHost, destinationSubset, destinationLabels, serviceNamespace, mirror, mirrorOutcome,
                downstreamRemote, userAgent);
    }

    /** The flags as Envoy prints them: {@code -} for none, comma-separated in the order raised. */
    private String flagText() {
        if (flags == null) {
            return "-";
        }
        if (flags.size() == 1) {
            return flags.get(0).name();
        }
        StringBuilder sb = new StringBuilder();
        for (ResponseFlag f : flags) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.name());
        }
        return sb.toString();
    }
}
