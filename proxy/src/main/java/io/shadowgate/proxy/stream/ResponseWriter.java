package io.shadowgate.proxy.stream;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The answer side of a stream, implemented by a server codec. The router hands it end-to-end headers (hop-by-hop
 * ones already removed) and data; the codec adds the framing and connection management its protocol needs
 * (HTTP/1: {@code Content-Length} or chunked, {@code Connection}, close-delimited bodies for HTTP/1.0; HTTP/2:
 * END_STREAM and trailers frames). Confined to the stream's event loop.
 */
public interface ResponseWriter {

    /**
     * Starts the response.
     *
     * @param status        the status (its reason phrase is relayed where the protocol has one)
     * @param headers       end-to-end headers; the writer may edit them in place
     * @param contentLength the body length when known, else -1
     */
    void writeHead(HttpResponseStatus status, HttpHeaders headers, long contentLength);

    /**
     * A piece of the body; a {@code LastHttpContent} ends the response and carries its trailers. Takes ownership
     * of {@code data}.
     */
    void writeData(HttpContent data);

    /** A complete locally generated response (head, body, end). Takes ownership of {@code response}. */
    void writeLocal(FullHttpResponse response);

    /** Ends the stream abruptly (HTTP/1: closes the connection; HTTP/2: RST_STREAM). */
    void reset();

    /**
     * The request's framing cannot be trusted any more (it was answered before its end, or failed): the stream must
     * not carry anything after this response (HTTP/1 closes the connection after it).
     */
    void endAfterResponse();

    /** Whether the client takes more data now; when it does not, {@link DownstreamStream.Listener#onWritable()} follows. */
    boolean isWritable();
}
