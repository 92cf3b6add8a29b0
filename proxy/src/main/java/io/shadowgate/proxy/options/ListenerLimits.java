package io.shadowgate.proxy.options;

import java.time.Duration;

/**
 * Limits and timeouts of client connections and the requests they carry (HTTP/1.1 today; per-protocol knobs such
 * as HTTP/2 settings join here, and may later be overridden per Gateway server).
 *
 * @param maxInitialLineBytes       longest request line; longer answers 414
 * @param maxHeaderBytes            largest request header block; larger answers 431
 * @param maxHeaderCount            most request headers; more answers 431
 * @param maxRequestBodyBytes       largest request body; larger answers 413 (-1: unlimited)
 * @param requestHeadersTimeout     time to receive a request's headers once its first byte arrived (slowloris
 *                                  guard); answers 408 and closes
 * @param idleTimeout               a keep-alive client connection with no request in flight is closed after this
 * @param maxConnectionsPerListener accepted connections per listener; further ones are closed at once
 * @param requestBodyTimeout        longest wait for the next piece of a request body once the gateway asked for it
 *                                  (slow-POST guard, nginx's {@code client_body_timeout}); answers 408 and closes
 * @param responseSendTimeout       longest a client may leave the response stuck by not reading it (slow-read
 *                                  guard, nginx's {@code send_timeout}); the connection is closed
 */
public record ListenerLimits(int maxInitialLineBytes, int maxHeaderBytes, int maxHeaderCount,
                             long maxRequestBodyBytes, Duration requestHeadersTimeout, Duration idleTimeout,
                             int maxConnectionsPerListener, Duration requestBodyTimeout,
                             Duration responseSendTimeout) {
}
