package io.shadowgate.proxy.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.proxy.observe.ResponseFlag;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Guards a request in flight against a client that stalls it (the header phase is guarded by the request-headers
 * timeout of {@link FrontendHandler}, the time between requests by its idle timeout):
 *
 * <ul>
 *   <li><b>slow body</b> ({@code requestBodyTimeout}, nginx's {@code client_body_timeout}): once the gateway asks
 *       the client for more of a request body (a {@code read()} passes this handler while a body is open), the next
 *       decoded piece must arrive within the timeout. Time the gateway itself does not read — because the upstream
 *       is slow to accept the body — never counts. On expiry: 408 (or a close if the response already started),
 *       flag {@code SI}.</li>
 *   <li><b>slow read</b> ({@code responseSendTimeout}, nginx's {@code send_timeout}): the client connection must
 *       not stay unwritable (64 KiB queued and not draining below 32 KiB) longer than the timeout. On expiry the
 *       connection is reset (RST, so the kernel drops the unsent data at once), flag {@code SI}.</li>
 * </ul>
 *
 * <p>Sits between {@link StrictRequestValidator} and {@link FrontendHandler}, so it sees the frontend's read requests
 * and every decoded message. Event-loop confined.
 */
final class ClientStallHandler extends ChannelDuplexHandler {

    private final FrontendHandler frontend;
    private final long bodyTimeoutNanos;
    private final long sendTimeoutNanos;
    private ChannelHandlerContext ctx;
    private boolean bodyOpen;
    /** Whether the gateway asked for body bytes that have not arrived yet; {@link #bodyDeadline} then applies. */
    private boolean bodyWaiting;
    private long bodyDeadline;
    /**
     * The slow-body timer, or {@code null}. Not cancelled when the awaited piece arrives: it re-arms itself for the
     * rest when it fires before the current deadline, and lapses when nothing is awaited (Netty's
     * {@code IdleStateHandler} pattern), so a read costs a field write, not a schedule and a cancel.
     */
    private ScheduledFuture<?> bodyTimer;
    private final Runnable onBodyTimer = this::onBodyTimer;
    private ScheduledFuture<?> sendTimer;

    ClientStallHandler(FrontendHandler frontend, Duration bodyTimeout, Duration sendTimeout) {
        this.frontend = frontend;
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
        this.sendTimeoutNanos = sendTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            bodyOpen = !(msg instanceof LastHttpContent) && !((HttpRequest) msg).decoderResult().isFailure();
        }
        if (msg instanceof LastHttpContent) {
            bodyOpen = false;
        }
        bodyWaiting = false;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (bodyOpen && !bodyWaiting) {
            // Every deadline is now + the same timeout, so a pending timer never fires after it.
            bodyWaiting = true;
            bodyDeadline = System.nanoTime() + bodyTimeoutNanos;
            if (bodyTimer == null) {
                bodyTimer = ctx.executor().schedule(onBodyTimer, bodyTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.read();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancelSendTimer();
        } else if (sendTimer == null) {
            sendTimer = ctx.executor().schedule(this::onSendTimeout, sendTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelBodyTimer();
        cancelSendTimer();
        ctx.fireChannelInactive();
    }

    private void onBodyTimer() {
        bodyTimer = null;
        if (!bodyWaiting) {
            return;
        }
        long left = bodyDeadline - System.nanoTime();
        if (left > 0) {
            bodyTimer = ctx.executor().schedule(onBodyTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        bodyWaiting = false;
        if (bodyOpen && ctx.channel().isActive()) {
            frontend.clientStalled(408, ResponseFlag.SI, "request body timeout");
        }
    }

    private void onSendTimeout() {
        sendTimer = null;
        if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
            // Abortive close (RST): a graceful close would leave the unsent response in the kernel's send buffer
            // (megabytes with autotuning), still trickling to the slow reader from an orphaned socket.
            if (ctx.channel() instanceof SocketChannel socket) {
                try {
                    socket.config().setSoLinger(0);
                } catch (ChannelException e) {
                    // Best effort: the close below still happens.
                }
            }
            frontend.clientStalled(0, ResponseFlag.SI, "");
        }
    }

    private void cancelBodyTimer() {
        bodyWaiting = false;
        if (bodyTimer != null) {
            bodyTimer.cancel(false);
            bodyTimer = null;
        }
    }

    private void cancelSendTimer() {
        if (sendTimer != null) {
            sendTimer.cancel(false);
            sendTimer = null;
        }
    }
}
