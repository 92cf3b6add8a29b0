package io.shadowgate.proxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.shadowgate.proxy.options.ProxyOptions;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The handler right after the HTTP codec: checks every decoded request head against the rules of
 * {@code docs/hardening.md} (reliability checklist §2.3) on top of what Netty's decoder enforces, and reports the
 * framing it accepted to the {@link RawRequestScanner}.
 *
 * <p>A refused request is not answered here: its {@code DecoderResult} becomes a {@link RejectedRequestException}
 * and it travels on, so {@link FrontendHandler} answers it in order (after the pipelined requests before it) and
 * closes the connection. A refused trailer section becomes a failed last chunk, which {@link RouterStream} turns into
 * an aborted request: the upstream never sees the end of that body.
 *
 * <p>Rules (status 400 unless noted): HTTP/1.0 or HTTP/1.1 only (505); at most {@code maxHeaderCount} headers (431);
 * header names are tokens, values carry no CTL or DEL; exactly one {@code Host} on HTTP/1.1 (at most one on 1.0),
 * a syntactically valid authority; {@code *} only with OPTIONS; no CONNECT; an absolute-form target is
 * {@code http(s)://}; at most one {@code Content-Length}, 1–15 digits, within {@code maxRequestBodyBytes} (413);
 * at most one {@code Transfer-Encoding}, exactly {@code chunked}, never with {@code Content-Length}, never on
 * HTTP/1.0; no {@code Upgrade: h2c} and no {@code HTTP2-Settings}; trailers carry no framing or routing fields.
 */
final class StrictRequestValidator extends ChannelInboundHandlerAdapter {

    /** Fields that must never arrive in trailers: they would change framing or routing after the fact. */
    static final Set<String> FORBIDDEN_TRAILERS = Set.of("content-length", "transfer-encoding", "host", "te",
            "trailer", "connection", "keep-alive", "proxy-connection", "upgrade", "http2-settings", "expect",
            "content-type", "content-encoding", "authorization", "cookie");

    private final ProxyOptions options;
    private final RawRequestScanner scanner;

    /**
     * @param options the limits
     * @param scanner the raw scanner before the codec, told about each accepted framing; {@code null} when absent
     */
    StrictRequestValidator(ProxyOptions options, RawRequestScanner scanner) {
        this.options = options;
        this.scanner = scanner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            onRequest(request);
        } else if (msg instanceof LastHttpContent last && !last.decoderResult().isFailure()
                && !last.trailingHeaders().isEmpty()) {
            String problem = checkTrailers(last.trailingHeaders());
            if (problem != null) {
                last.release();
                DefaultLastHttpContent failed = new DefaultLastHttpContent();
                failed.setDecoderResult(DecoderResult.failure(new RejectedRequestException(400, problem)));
                msg = failed;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void onRequest(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            report(RawRequestScanner.Framing.REJECTED, 0);
            return;
        }
        RejectedRequestException problem;
        try {
            problem = check(request);
        } catch (RejectedRequestException e) {
            problem = e;
        }
        if (problem != null) {
            request.setDecoderResult(DecoderResult.failure(problem));
            report(RawRequestScanner.Framing.REJECTED, 0);
            return;
        }
        HttpHeaders h = request.headers();
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            report(RawRequestScanner.Framing.CHUNKED, 0);
        } else {
            String cl = h.get(HttpHeaderNames.CONTENT_LENGTH);
            long length = cl == null ? 0 : Long.parseLong(cl.trim());
            report(length > 0 ? RawRequestScanner.Framing.LENGTH : RawRequestScanner.Framing.NONE, length);
        }
    }

    private void report(RawRequestScanner.Framing framing, long length) {
        if (scanner != null) {
            scanner.framing(framing, length);
        }
    }

    /** The first rule {@code request} breaks, or {@code null}. */
    private RejectedRequestException check(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        boolean http11 = HttpVersion.HTTP_1_1.equals(version);
        if (!http11 && !HttpVersion.HTTP_1_0.equals(version)) {
            return new RejectedRequestException(505, "HTTP version not supported");
        }
        HttpHeaders h = request.headers();
        if (h.size() > options.listener().maxHeaderCount()) {
            return new RejectedRequestException(431, "too many request headers");
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!isToken(e.getKey())) {
                return reject("invalid header name");
            }
            if (!isFieldValue(e.getValue())) {
                return reject("invalid header value");
            }
        }

        List<String> hosts = h.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return reject("more than one Host header");
        }
        if (hosts.isEmpty() && http11) {
            return reject("missing Host header");
        }
        if (!hosts.isEmpty() && !isAuthority(hosts.get(0))) {
            return reject("invalid Host header");
        }

        HttpMethod method = request.method();
        String target = request.uri();
        if (HttpMethod.CONNECT.equals(method)) {
            return reject("CONNECT is not supported");
        }
        if (target.equals("*")) {
            if (!HttpMethod.OPTIONS.equals(method)) {
                return reject("asterisk-form target with a method other than OPTIONS");
            }
        } else if (!target.startsWith("/")) {
            String lower = target.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                return reject("invalid request target");
            }
        }

        List<String> lengths = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
        long length = -1;
        if (lengths.size() > 1) {
            return reject("more than one Content-Length");
        }
        if (lengths.size() == 1) {
            String cl = lengths.get(0).trim();
            if (cl.isEmpty() || cl.length() > 15 || !allDigits(cl)) {
                return reject("invalid Content-Length");
            }
            length = Long.parseLong(cl);
            long max = options.listener().maxRequestBodyBytes();
            if (max >= 0 && length > max) {
                return new RejectedRequestException(413, "request body too large");
            }
        }

        List<String> codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (!http11) {
                return reject("Transfer-Encoding on HTTP/1.0");
            }
            if (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
                return reject("unsupported Transfer-Encoding");
            }
            if (length >= 0) {
                return reject("both Content-Length and Transfer-Encoding");
            }
        }

        for (String upgrade : h.getAll(HttpHeaderNames.UPGRADE)) {
            for (String token : upgrade.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).startsWith("h2c")) {
                    return reject(Http2Refusal.H2C_UPGRADE);
                }
            }
        }
        if (h.contains("http2-settings")) {
            return reject(Http2Refusal.H2C_UPGRADE);
        }
        return null;
    }

    private static RejectedRequestException reject(String reason) {
        return new RejectedRequestException(400, reason);
    }

    /** A problem with the trailer section, or {@code null}. */
    private String checkTrailers(HttpHeaders trailers) {
        if (trailers.size() > options.listener().maxHeaderCount()) {
            return "too many trailers";
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> it = trailers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!isToken(e.getKey()) || !isFieldValue(e.getValue())) {
                return "invalid trailer";
            }
            if (FORBIDDEN_TRAILERS.contains(e.getKey().toString().toLowerCase(Locale.ROOT))) {
                return "forbidden trailer field";
            }
        }
        return null;
    }

    static boolean isToken(CharSequence s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isFieldValue(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** {@code host [":" port]} with a reg-name, IPv4 or bracketed IPv6 host (RFC 3986), comma excluded. */
    static boolean isAuthority(String s) {
        if (s.isEmpty()) {
            return false;
        }
        String host = s;
        String port = null;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = s.charAt(i);
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                        || c == '.')) {
                    return false;
                }
            }
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    return false;
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
            if (host.isEmpty()) {
                return false;
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-._~%!$&'()*+;=".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
        }
        return port == null || (port.length() <= 5 && allDigits(port));
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
