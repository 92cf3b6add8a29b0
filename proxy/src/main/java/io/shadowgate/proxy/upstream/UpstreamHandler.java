package io.shadowgate.proxy.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream pipeline ({@code docs/data-path.md}): forwards everything to the connection's
 * current {@link UpstreamListener}. A pooled, idle connection has no listener: data arriving then is a protocol
 * anomaly and closes the connection, and an idle timeout closes it too.
 */
public final class UpstreamHandler extends ChannelDuplexHandler {

    private final java.net.InetSocketAddress endpointAddress;
    private UpstreamListener listener;
    private int requests;
    private boolean reusable = true;

    UpstreamHandler(java.net.InetSocketAddress endpointAddress) {
        this.endpointAddress = endpointAddress;
    }

    /** The endpoint this connection goes to (the pool's key). */
    java.net.InetSocketAddress endpointAddress() {
        return endpointAddress;
    }

    /** Gives the connection to {@code l} for one request. */
    void lease(UpstreamListener l) {
        listener = l;
        requests++;
    }

    /** Takes the connection back. */
    void release() {
        listener = null;
    }

    /** Requests sent on this connection so far, the current one included. */
    public int requests() {
        return requests;
    }

    /** Marks the connection as not to be reused (a framing anomaly, an early response, a timeout). */
    public void markNotReusable() {
        reusable = false;
    }

    /** Whether nothing happened that forbids reuse. */
    boolean reusable() {
        return reusable;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            reusable = false;
            ctx.close();
            return;
        }
        l.onUpstreamMessage(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reusable = false;
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && listener == null) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        reusable = false;
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamError(cause);
        }
        ctx.close();
    }
}
