package io.shadowgate.proxy.stream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.shadowgate.proxy.observe.ResponseFlag;

/**
 * The client's side of one request stream, as a server codec hands it to the router: the head, then data (and
 * trailers), or a reset. The codec owns the wire (framing, connection management, {@code 100-continue}); the router
 * owns what the request does. Confined to the stream's event loop.
 *
 * <p>Flow control: the codec delivers data only after {@link #readRequestData()}, one read's worth at a time; the
 * router asks for more only while its upstream accepts it (see {@code docs/data-path.md}).
 */
public interface DownstreamStream {

    /** The request head. */
    RequestHead head();

    /** Where the answer goes. */
    ResponseWriter response();

    /** The event loop the stream (and everything the router does for it) runs on. */
    io.netty.channel.EventLoop eventLoop();

    /** Allocator for locally generated bodies. */
    ByteBufAllocator alloc();

    /** Asks the codec for the next request data (one socket read for HTTP/1, a window update for HTTP/2). */
    void readRequestData();

    /**
     * Whether the codec is inside a read batch: writes the router makes upstream may wait for
     * {@link Listener#onReadBatchEnd()} and go out in one flush.
     */
    boolean inReadBatch();

    /** The router consumed the end of the request (its last data and trailers were accepted). */
    void requestConsumed();

    /** The router is done with this stream; the codec may reuse or close what carried it. */
    void streamDone();

    /** What the router implements to receive a stream's events. */
    interface Listener {

        /** Routes the request whose head is {@link DownstreamStream#head()} and starts forwarding or answers. */
        void onHeaders();

        /**
         * A piece of the request body; a {@code LastHttpContent} ends the request and carries its trailers. Takes
         * ownership of {@code data}.
         */
        void onData(HttpContent data);

        /**
         * The client failed the request in flight (malformed body, stalled upload or download): answer
         * {@code status} if no response started (0: never answer), and never let the request look complete
         * upstream.
         */
        void onReset(int status, ResponseFlag flag, String body);

        /** The client went away before the stream ended. */
        void onClosed();

        /** The client can take more response data again. */
        void onWritable();

        /** The codec's read batch ended: flush what was written upstream during it. */
        void onReadBatchEnd();
    }
}
