package io.shadowgate.proxy.server.http1;

/**
 * The HTTP/1 connection handler an {@link Http1ServerStream} belongs to (requests on one connection run one at a
 * time, in order). Called on the connection's event loop.
 */
public interface Http1Connection {

    /** Whether a socket read is being handled (its end flushes what was written upstream meanwhile). */
    boolean inReadBatch();

    /** Whether the proxy is draining: responses then close their connections. */
    boolean draining();

    /**
     * The stream is over; {@code keepAlive} says whether the connection may carry the next request (its framing
     * lines up and nothing asked for a close).
     */
    void streamDone(Http1ServerStream stream, boolean keepAlive);
}
