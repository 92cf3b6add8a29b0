package io.shadowgate.proxy.upstream;

/**
 * The protocol spoken to an upstream. A connection pool speaks one ({@link ConnectionPool#protocol()}), so pools
 * are keyed by protocol: an HTTP/2 pool (issue 15) is another pool with another {@link UpstreamCodec}.
 */
public enum UpstreamProtocol {
    /** HTTP/1.1 with keep-alive: one request at a time per connection. */
    HTTP1
}
