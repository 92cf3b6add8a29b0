package io.shadowgate.proxy.stream;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.shadowgate.config.snapshot.RequestView;

/**
 * A decoded request head, whatever protocol carried it. As a {@link RequestView} it answers routing and header
 * formatting, with pseudo-headers ({@code :method}, {@code :scheme}, {@code :authority}, {@code :path}) readable
 * through {@link #header(String)} as on HTTP/2; {@link #headers()} holds the regular headers only (names lower
 * case), which the router may edit in place once it has read what it needs (see {@code UpstreamRequestBuilder}).
 */
public interface RequestHead extends RequestView {

    /** The method as a Netty constant (identity comparisons for the well-known ones). */
    HttpMethod httpMethod();

    /** The regular (non-pseudo) headers as decoded, names lower case. Owned by the stream; edited in place. */
    HttpHeaders headers();

    /**
     * The body length the client declared ({@code Content-Length}), or -1 when it did not: then the body is either
     * streamed ({@link #streamedBody()}) or absent.
     */
    long declaredLength();

    /** Whether the body comes without a declared length (HTTP/1.1 chunked, HTTP/2 DATA without content-length). */
    boolean streamedBody();

    /** Whether the head alone is the whole request: no declared length above 0 and no streamed body. */
    default boolean bodyless() {
        return !streamedBody() && declaredLength() <= 0L;
    }
}
