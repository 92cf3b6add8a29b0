package io.shadowgate.proxy.upstream;

import io.netty.channel.ChannelPipeline;

/**
 * How a pooled upstream connection speaks its protocol: the handlers a new connection gets in front of its
 * {@link UpstreamHandler}. {@link Http1UpstreamCodec} today; an HTTP/2 codec (frame codec and stream multiplexing,
 * issue 15) implements the same step, and its pool is keyed by {@link UpstreamProtocol#HTTP1}'s sibling.
 */
public interface UpstreamCodec {

    /** The protocol this codec speaks. */
    UpstreamProtocol protocol();

    /**
     * Builds the pipeline of a new connection: the codec's handlers, then {@code handler} last (named
     * {@link io.shadowgate.proxy.runtime.PipelineNames#UPSTREAM}).
     *
     * @param idleMillis the cluster's idle timeout for pooled connections
     */
    void addTo(ChannelPipeline pipeline, long idleMillis, UpstreamHandler handler);
}
