package io.shadowgate.proxy.server;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.RequestView;
import io.netty.util.AsciiString;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header rules shared by the primary and the mirror: hop-by-hop removal, framing regeneration, and Istio header
 * operations. Framing headers ({@code content-length}, {@code transfer-encoding}) are never copied from a peer: the
 * proxy sets them from what it will send.
 */
final class ProxyHeaders {

    /** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1 plus Envoy's list). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "http2-settings", "content-length", "expect");

    private static final DefaultHttpHeadersFactory NON_VALIDATING = DefaultHttpHeadersFactory.headersFactory()
            .withNameValidation(false).withValueValidation(false);

    private ProxyHeaders() {
    }

    /** New empty headers without per-write validation (inputs were validated by the decoder or by the config). */
    static HttpHeaders newHeaders() {
        return NON_VALIDATING.newHeaders();
    }

    /** Copies {@code from} into a new header map, leaving out hop-by-hop headers and any named by Connection. */
    static HttpHeaders copyEndToEnd(HttpHeaders from) {
        HttpHeaders out = newHeaders();
        Set<String> connectionListed = null;
        String connection = from.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            connectionListed = new HashSet<>();
            for (String token : connection.split(",")) {
                connectionListed.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            String name = e.getKey().toString().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || (connectionListed != null && connectionListed.contains(name))) {
                continue;
            }
            out.add(name, e.getValue());
        }
        return out;
    }

    /** {@link #HOP_BY_HOP} as the decoder's (lower-case, hash-cached) names, for removal in place. */
    private static final AsciiString[] HOP_BY_HOP_NAMES = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, AsciiString.cached("http2-settings"),
        HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.EXPECT};

    /**
     * Edits a decoded header map in place to what {@link #copyEndToEnd} would have copied: hop-by-hop headers and
     * any named by (the first) Connection header removed. Names are already lower case
     * ({@link io.shadowgate.proxy.upstream.LowerCaseHeaders}). Read whatever else is needed from the map first.
     */
    static void removeHopByHop(HttpHeaders h) {
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null && !connection.equalsIgnoreCase("keep-alive")
                && !connection.equalsIgnoreCase("close")) {
            for (String token : connection.split(",")) {
                String name = token.strip();
                if (!name.isEmpty()) {
                    h.remove(name);
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP_NAMES) {
            h.remove(name);
        }
    }

    /** Applies Istio header operations, each stage removing first, then setting, then adding (Envoy's order). */
    static void apply(HeaderOps ops, HttpHeaders headers, RequestView request) {
        for (HeaderOps.Stage stage : ops.stages()) {
            for (String name : stage.remove()) {
                headers.remove(name);
            }
            for (HeaderOps.Entry e : stage.set()) {
                headers.set(e.name(), e.value().render(request));
            }
            for (HeaderOps.Entry e : stage.add()) {
                headers.add(e.name(), e.value().render(request));
            }
        }
    }
}
