/**
 * The HTTP/1.1 server codec behind the {@code proxy.stream} boundary: {@link
 * io.shadowgate.proxy.server.http1.Http1ServerStream} turns one decoded request into a downstream stream and writes
 * the router's answer back with HTTP/1 framing and connection management ({@code 100-continue}, keep-alive and
 * {@code Connection}, chunked or length-delimited, HTTP/1.0 close, close after an early answer).
 *
 * <p>Internal to the proxy: anything here may change or disappear at any time. Confined to the client connection's
 * event loop. Depends only on {@code proxy.stream} and Netty, so an HTTP/2 codec can sit beside it.
 */
package io.shadowgate.proxy.server.http1;
