package io.shadowgate.proxy.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.shadowgate.proxy.observe.CapturedResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One response kept for comparison, as it streams by: status, headers (names lower case, in order) and the first
 * {@code maxBody} bytes of the body, with the full length counted. Used for the primary's response (by
 * {@link MirrorFanout}) and for each mirror's ({@link MirrorStream}) alike. Event-loop confined.
 */
public final class ResponseCapture {

    private static final byte[] EMPTY = new byte[0];

    private final int maxBody;
    private int status;
    private List<Map.Entry<String, String>> headers = List.of();
    private byte[] body = EMPTY;
    private int bodyLength;
    private long totalBytes;
    private boolean truncated;

    /** @param maxBody body bytes kept at most; the rest is counted, not kept */
    public ResponseCapture(int maxBody) {
        this.maxBody = maxBody;
    }

    /** The response head as received (before any header edits). */
    public void start(int status, HttpHeaders h) {
        this.status = status;
        List<Map.Entry<String, String>> list = new ArrayList<>(h.size());
        for (Map.Entry<String, String> e : h) {
            list.add(Map.entry(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        }
        headers = list;
    }

    /** A piece of the body; {@code buf} is read without being consumed or released. */
    public void body(ByteBuf buf) {
        int n = buf.readableBytes();
        totalBytes += n;
        int room = maxBody - bodyLength;
        if (n > room) {
            truncated = true;
        }
        int take = Math.min(room, n);
        if (take <= 0) {
            return;
        }
        if (body.length < bodyLength + take) {
            body = Arrays.copyOf(body, Math.min(maxBody, Math.max(bodyLength + take, body.length * 2)));
        }
        buf.getBytes(buf.readerIndex(), body, bodyLength, take);
        bodyLength += take;
    }

    /** The status seen at {@link #start}, or 0 when no head arrived. */
    public int status() {
        return status;
    }

    /**
     * The captured response.
     *
     * @param fallbackStatus the status to report when no head was captured (a local reply's), or 0
     * @param latencyNanos   from request start to the end of the response (or the failure)
     * @param failure        why the response is incomplete, or {@code null}
     */
    public CapturedResponse toCaptured(int fallbackStatus, long latencyNanos, String failure) {
        return new CapturedResponse(status == 0 ? fallbackStatus : status, headers,
                bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength), truncated, totalBytes,
                latencyNanos, failure);
    }
}
