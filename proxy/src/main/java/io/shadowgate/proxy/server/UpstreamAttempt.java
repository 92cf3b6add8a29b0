package io.shadowgate.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.proxy.stream.DownstreamStream;
import io.shadowgate.proxy.upstream.ConnectionPool;
import io.shadowgate.proxy.upstream.UpstreamCluster;
import io.shadowgate.proxy.upstream.UpstreamEndpoint;
import io.shadowgate.proxy.upstream.UpstreamHandler;
import io.shadowgate.proxy.upstream.UpstreamListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One try of a request against one endpoint (Envoy's {@code UpstreamRequest}): holds the endpoint's and the
 * cluster's active-request counts, leases a connection from the pool (or waits as pending), keeps the body chunks
 * that arrive before the connection is ready, writes the head and body (flushing once per client read batch),
 * runs the per-try timer, and gives the connection back (pooled when it may be reused, else closed).
 *
 * <p>The router ({@link RouterStream}) decides; the attempt carries. Response messages and connection events go to
 * the router through {@link Owner}. Event-loop confined (the client connection's loop).
 *
 * <p>Buffer ownership: a body chunk handed to {@link #writeBody} belongs to the attempt: written upstream, or
 * released by {@link #releasePending}.
 */
final class UpstreamAttempt implements UpstreamListener {

    /** What the router implements to hear from its current attempt. */
    interface Owner extends UpstreamListener {

        /** The connection is ready and the head (and any pending body) was written. */
        void onAttemptConnected();

        /** No connection could be had: {@code cause} says why ({@link ConnectionPool.OverflowException}: pending overflow). */
        void onAttemptFailed(Throwable cause);

        /** The request went out in full (its last chunk was written). */
        void onRequestSent();

        /** The per-try timeout fired before a response started. */
        void onPerTryTimeout();

        /** Whether the exchange is over (late events are then only cleaned up). */
        boolean finished();
    }

    private final ConnectionPool pool;
    private final DownstreamStream downstream;
    private final UpstreamCluster cluster;
    private final UpstreamEndpoint endpoint;
    private final Owner owner;
    private HttpRequest head;
    /** Body chunks waiting for the connection; {@code null} until the first one. */
    private ArrayDeque<HttpContent> pending;
    /** Whether this attempt holds the endpoint's and the cluster's active-request counts. */
    private boolean active;
    private Future<Channel> acquiring;
    private Channel channel;
    private boolean reused;
    /** Writes to {@link #channel} wait for the end of the client's read batch ({@link #flushBatch}). */
    private boolean flushPending;
    /** Whether body bytes went upstream on this attempt (another attempt then needs the replay copy). */
    private boolean bodySent;
    private ScheduledFuture<?> perTryTask;

    /** One listener per attempt, not a capturing lambda per write. */
    private final ChannelFutureListener lastBodyWritten;

    UpstreamAttempt(ConnectionPool pool, DownstreamStream downstream, UpstreamCluster cluster,
                    UpstreamEndpoint endpoint, HttpRequest head, ArrayDeque<HttpContent> pending, Owner owner) {
        this.pool = pool;
        this.downstream = downstream;
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.head = head;
        this.pending = pending;
        this.owner = owner;
        this.lastBodyWritten = f -> {
            if (f.isSuccess()) {
                owner.onRequestSent();
            }
        };
    }

    UpstreamEndpoint endpoint() {
        return endpoint;
    }

    /** The request head this attempt sends (or sent). */
    HttpRequest head() {
        return head;
    }

    /** Takes the counts and asks the pool for a connection; the outcome comes through {@link Owner}. */
    void start() {
        active = true;
        endpoint.requestStarted();
        cluster.activeRequests().incrementAndGet();
        Future<Channel> f = pool.acquire(downstream.eventLoop(), cluster, endpoint, this);
        if (f.isDone()) {
            onAcquired(f);
        } else {
            acquiring = f;
            f.addListener(ignored -> onAcquired(f));
        }
    }

    private void onAcquired(Future<Channel> f) {
        if (acquiring == f) {
            acquiring = null;
        }
        if (owner.finished()) {
            if (f.isSuccess()) {
                pool.release(f.getNow(), cluster, false);
            }
            return;
        }
        if (!f.isSuccess()) {
            endpointDone();
            owner.onAttemptFailed(f.cause());
            return;
        }
        channel = f.getNow();
        reused = channel.pipeline().get(UpstreamHandler.class).requests() > 1;
        channel.write(head);
        if (pending != null) {
            HttpContent c;
            while ((c = pending.poll()) != null) {
                write(c);
            }
        }
        flushSoon();
        channel.read();
        owner.onAttemptConnected();
    }

    /** Whether the connection is there (else body chunks wait in {@link #writeBody}). */
    boolean connected() {
        return channel != null;
    }

    /** Whether the connection is a pooled one that carried requests before. */
    boolean reused() {
        return reused;
    }

    /** Whether body bytes went upstream on this attempt. */
    boolean bodySent() {
        return bodySent;
    }

    /** Whether no body chunk waits for the connection. */
    boolean nothingPending() {
        return pending == null || pending.isEmpty();
    }

    /** A body chunk: written now, or kept until the connection is ready. Takes ownership. */
    void writeBody(HttpContent content) {
        if (channel == null) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.add(content);
            return;
        }
        write(content);
        flushSoon();
    }

    /** The chunks still waiting for the connection (the caller takes them over); never {@code null}. */
    ArrayDeque<HttpContent> takePending() {
        ArrayDeque<HttpContent> p = pending == null ? new ArrayDeque<>(4) : pending;
        pending = null;
        return p;
    }

    private void write(HttpContent content) {
        bodySent = true;
        if (content instanceof LastHttpContent) {
            channel.write(content).addListener(lastBodyWritten);
        } else {
            channel.write(content, channel.voidPromise());
        }
    }

    /**
     * Flushes now, or at the end of the client read being handled (one flush per read batch rather than per decoded
     * chunk). Writability counts unflushed bytes too, so the read-after-write rule is unchanged.
     */
    private void flushSoon() {
        if (downstream.inReadBatch()) {
            flushPending = true;
        } else {
            flushPending = false;
            channel.flush();
        }
    }

    /** The client's read batch ended: flushes what was written during it. */
    void flushBatch() {
        if (flushPending) {
            flushPending = false;
            if (channel != null) {
                channel.flush();
            }
        }
    }

    /** Whether the connection takes more body now (read-after-write). */
    boolean isWritable() {
        return channel.isWritable();
    }

    /** Asks for the next response data. */
    void read() {
        channel.read();
    }

    /** The response says the connection cannot carry another request. */
    void markNotReusable() {
        channel.pipeline().get(UpstreamHandler.class).markNotReusable();
    }

    /** Starts the per-try timer once the connection is there and the request is on its way (0: none). */
    void armPerTry(Duration perTry) {
        if (perTryTask != null || channel == null || perTry == null || perTry.isZero()) {
            return;
        }
        perTryTask = downstream.eventLoop().schedule(this::perTryFired, perTry.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void perTryFired() {
        perTryTask = null;
        owner.onPerTryTimeout();
    }

    void cancelPerTry() {
        if (perTryTask != null) {
            perTryTask.cancel(false);
            perTryTask = null;
        }
    }

    /**
     * The response is complete: the connection goes back to the pool once the request was also sent in full (or
     * never will be: an early response, and the connection is closed).
     *
     * @param requestSent     whether the whole request was written
     * @param requestComplete whether the client's request ended
     */
    void releaseIfDone(boolean requestSent, boolean requestComplete) {
        if (channel != null && (requestSent || !requestComplete)) {
            Channel ch = channel;
            channel = null;
            pool.release(ch, cluster, requestSent);
        }
    }

    /** Ends this attempt without using its response: the connection is detached and closed, never pooled. */
    void abandon() {
        cancelPerTry();
        if (channel != null) {
            Channel ch = channel;
            channel = null;
            pool.release(ch, cluster, false);
        }
        endpointDone();
    }

    /** Closes the connection (timeouts, failures, a client gone): it is never pooled. */
    void close() {
        if (channel != null) {
            markNotReusable();
            channel.close();
            channel = null;
        }
    }

    /** The connection went away on its own ({@link Owner#onUpstreamClosed}, {@link Owner#onUpstreamError}). */
    void lost() {
        channel = null;
    }

    /** Withdraws a connection request still waiting in the pool. */
    void cancelAcquire() {
        if (acquiring != null) {
            Future<Channel> f = acquiring;
            acquiring = null;
            f.cancel(false);
        }
    }

    /** Whether this attempt still holds the active-request counts. */
    boolean active() {
        return active;
    }

    /** Gives back the endpoint's and the cluster's active-request counts (once). */
    void endpointDone() {
        if (active) {
            active = false;
            endpoint.requestEnded();
            cluster.activeRequests().decrementAndGet();
        }
    }

    /** Releases body chunks still waiting for the connection. */
    void releasePending() {
        if (pending == null) {
            return;
        }
        HttpContent c;
        while ((c = pending.poll()) != null) {
            c.release();
        }
    }

    // ------------------------------------------------------------------ connection events go to the router

    @Override
    public void onUpstreamMessage(Object msg) {
        owner.onUpstreamMessage(msg);
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        owner.onUpstreamWritabilityChanged(writable);
    }

    @Override
    public void onUpstreamClosed() {
        owner.onUpstreamClosed();
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        owner.onUpstreamError(cause);
    }
}
