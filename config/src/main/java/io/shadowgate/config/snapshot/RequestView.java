package io.shadowgate.config.snapshot;

/**
 * The parts of an HTTP request that routing, hashing and header formatting read.
 *
 * <p>The proxy implements it over the decoded request; {@code explain} and tests implement it over plain values.
 * Implementations may compute lazily (query parsing, cookie parsing) and are used by one thread at a time.
 */
public interface RequestView {

    /** The method, upper case as received ({@code GET}). */
    String method();

    /** {@code http} or {@code https}: the scheme the client used to reach the listener. */
    String scheme();

    /** The {@code Host} header (or absolute-form authority) as received, port included when present. */
    String authority();

    /** The request target in origin form, query string included ({@code /a/b?x=1}). */
    String path();

    /**
     * The value of a request header, or {@code null} when absent. {@code name} is lower case. When the header
     * occurs more than once the values are joined with {@code ","}, as Envoy's header matcher sees them.
     */
    String header(String name);

    /** The value of a cookie from the {@code Cookie} header, or {@code null}. */
    String cookie(String name);

    /**
     * The first value of a query parameter, {@code ""} when present without a value ({@code ?debug}), or
     * {@code null} when absent. Values are not percent-decoded, as Envoy's query matcher.
     */
    String queryParam(String name);

    /** The client's address without port ({@code 10.0.0.7}), for source-IP hashing and header formatting. */
    String remoteAddress();

    /** The port of the listener the request arrived on. */
    int listenerPort();

    /**
     * The client's port, or 0 when unknown. Used by {@code %DOWNSTREAM_REMOTE_ADDRESS%} in header values.
     * (Added after the first contract; the default keeps existing implementations compiling.)
     */
    default int remotePort() {
        return 0;
    }

    /**
     * The request protocol as Envoy's {@code %PROTOCOL%} prints it: {@code HTTP/1.1}, {@code HTTP/1.0} or
     * {@code HTTP/2}. (Added after the first contract; defaults to {@code HTTP/1.1}.)
     */
    default String protocol() {
        return "HTTP/1.1";
    }

    /**
     * When the first byte of the request arrived, in epoch milliseconds, for {@code %START_TIME%}. (Added after the
     * first contract; the default is "now", which is only approximately the start.)
     */
    default long startTimeMillis() {
        return System.currentTimeMillis();
    }
}
