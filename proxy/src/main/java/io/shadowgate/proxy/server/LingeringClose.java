package io.shadowgate.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection after its last response without destroying that response: a plain {@code close()}
 * while request bytes are still unread (a body the gateway refused, the rest of an oversized head) makes the kernel
 * send a TCP RST, and a client that receives the RST before reading the response loses it. Like nginx's
 * {@code lingering_close}: once the response is flushed, the write side is shut down (the client sees the end of the
 * response), then whatever the client still sends is read and discarded — the pipeline drops it, the connection is
 * {@code closing} — until the client closes or {@link #LINGER_MILLIS} pass.
 */
final class LingeringClose {

    /** Longest time a closing connection keeps draining the client's input. */
    static final long LINGER_MILLIS = 2_000;

    private LingeringClose() {
    }

    /** Closes {@code write}'s channel, lingering, once {@code write} (the last response) completes. */
    static void after(ChannelFuture write) {
        write.addListener(done -> {
            Channel ch = write.channel();
            if (!done.isSuccess() || !ch.isActive() || !(ch instanceof DuplexChannel duplex)) {
                ch.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess() || !ch.isActive()) {
                    ch.close();
                    return;
                }
                ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> {
                    ch.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                ch.closeFuture().addListener(closed -> timer.cancel(false));
                ch.config().setAutoRead(true);
                ch.read();
            });
        });
    }
}
