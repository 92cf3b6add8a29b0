package io.shadowgate.testkit.backend;

/**
 * How a {@link TestBackend} treats requests. Set at build time with
 * {@link TestBackend.Builder#behavior(Behavior)} and switched at runtime with {@link TestBackend#behavior(Behavior)}.
 *
 * <p>The behavior is sampled once per request, when its headers arrive ({@link #STALL_READ}: once per connection,
 * when it is accepted), so a switch never changes a request that is already being handled.
 *
 * <p>Threading: an enum constant, freely shared; the backend reads its current behavior through a volatile field, so a
 * switch from a test thread is seen by the event loops immediately. No ByteBufs are involved.
 *
 * <p>Behaviors that wait for the whole request body ({@link #NORMAL}, {@link #NEVER_RESPOND}, {@link #ENDLESS_BODY},
 * {@link #GARBAGE}, {@link #HALF_RESPONSE}) answer {@code Expect: 100-continue} with {@code 100 Continue} so that the
 * client actually sends the body; {@link #RESET} and {@link #CLOSE_AFTER_HEADERS} act on the headers alone.
 */
public enum Behavior {
    /** Answer normally: JSON echo (or the generated body asked for by {@code x-testkit-body-bytes}). */
    NORMAL,
    /** Read and record the request, never answer. The connection stays silent until the peer closes it. */
    NEVER_RESPOND,
    /** After the request headers, close with a TCP RST ({@code SO_LINGER 0}). */
    RESET,
    /** After the request headers, close normally (FIN) without answering. */
    CLOSE_AFTER_HEADERS,
    /** After the request, send bytes that are not HTTP and close. */
    GARBAGE,
    /** After the request, answer {@code 200} chunked and stream chunks, paced by writability, until the peer closes. */
    ENDLESS_BODY,
    /**
     * Accept connections but never read from them: auto-read is switched off as soon as the connection is accepted,
     * so the kernel buffers fill and the client's writes eventually block. Nothing is recorded.
     */
    STALL_READ,
    /** After the request, send headers with {@code content-length: 100}, then 10 body bytes, then close. */
    HALF_RESPONSE
}
