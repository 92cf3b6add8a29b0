package io.shadowgate.proxy.upstream;

/**
 * The owner of a leased upstream connection: the primary leg of an exchange, or a mirror stream. Called on the
 * connection's event loop.
 */
public interface UpstreamListener {

    /**
     * A decoded response object ({@code HttpResponse}, {@code HttpContent}). The listener owns {@code msg} and must
     * release it.
     */
    void onUpstreamMessage(Object msg);

    /** The connection's writability changed (request body back-pressure). */
    void onUpstreamWritabilityChanged(boolean writable);

    /** The connection closed. */
    void onUpstreamClosed();

    /** The connection failed ({@code cause}); it will be closed right after. */
    void onUpstreamError(Throwable cause);
}
