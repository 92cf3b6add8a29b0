/**
 * A deliberately dumb HTTP/1.1 client for hardening tests: {@link io.shadowgate.testkit.client.RawHttpClient}.
 *
 * <p>This package owns byte-exact request sending (malformed, smuggling-style, pipelined or partial requests that a
 * real client library would refuse to produce) and just enough response parsing to split a stream of responses —
 * status line, headers, Content-Length / chunked / read-until-close framing — into
 * {@link io.shadowgate.testkit.client.RawResponse}s. Every read is bounded by a caller-supplied timeout, and the
 * client reports whether the server closed (or reset) the connection, which is what most hardening assertions need.
 *
 * <p>Plain blocking {@link java.net.Socket}s; no Netty, so it cannot share a bug with the code under test.
 */
package io.shadowgate.testkit.client;
