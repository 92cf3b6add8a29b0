package io.shadowgate.proxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First handler of a client pipeline: tells the {@link FrontendHandler} that request bytes arrived, so the
 * request-headers timeout (slowloris guard) starts at the first byte of a request rather than at the end of the
 * previous one, which is the keep-alive idle timeout's business.
 */
final class ReadActivityHandler extends ChannelInboundHandlerAdapter {

    private final FrontendHandler frontend;

    ReadActivityHandler(FrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        frontend.onRequestBytes();
        ctx.fireChannelRead(msg);
    }
}
