/**
 * The protocol-neutral stream boundary between a server codec and the router (Envoy's codec API, Armeria's decoded
 * request and per-protocol encoders): {@link io.shadowgate.proxy.stream.RequestHead} (what was asked),
 * {@link io.shadowgate.proxy.stream.DownstreamStream} (the client's request as it arrives: head, data, trailers,
 * reset) and {@link io.shadowgate.proxy.stream.ResponseWriter} (the answer: head, data, trailers, reset,
 * writability). {@code server.http1} implements them for HTTP/1.1 today; an HTTP/2 codec implements the same
 * interfaces per stream, so the router never learns which protocol carried a request.
 *
 * <p>Data travels as Netty {@code HttpContent} (a {@code LastHttpContent} ends the stream and carries the
 * trailers), the unit Netty's own HTTP/2-to-HTTP-object bridge produces, so body chunks move without a copy or a
 * wrapper. Ownership of a chunk passes with each call. Everything here is confined to one event loop.
 */
package io.shadowgate.proxy.stream;
