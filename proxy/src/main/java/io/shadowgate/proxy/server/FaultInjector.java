package io.shadowgate.proxy.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.proxy.stream.RequestHead;
import io.shadowgate.proxy.runtime.RandomSource;

/**
 * A route's fault injection (Envoy's {@code filters/http/fault}): the delay is decided first, then, after it, the
 * abort. An abort is a local reply shaped for the request: a gRPC status when the route aborts with one (as a
 * trailers-only answer), else the HTTP status. Stateless; draws from the runtime's injected random source.
 */
final class FaultInjector {

    private FaultInjector() {
    }

    /** Whether this request is delayed ({@code fault.delay()} then applies). */
    static boolean delays(FaultConfig fault, RandomSource random) {
        return fault != null && fault.delay() != null && fault.delayPerMillion() > 0
                && RandomSource.below(random, 1_000_000) < fault.delayPerMillion();
    }

    /** Whether this request is aborted (decided after any delay, as Envoy does). */
    static boolean aborts(FaultConfig fault, RandomSource random) {
        return fault != null && fault.abortPerMillion() > 0
                && RandomSource.below(random, 1_000_000) < fault.abortPerMillion();
    }

    /** The abort's local reply. */
    static FullHttpResponse abortReply(FaultConfig fault, RequestHead head, ByteBufAllocator alloc) {
        if (fault.abortGrpcStatus() != null) {
            return LocalReplies.grpc(alloc, GrpcStatus.code(fault.abortGrpcStatus()), null);
        }
        return LocalReplies.forRequest(head, alloc, fault.abortHttpStatus(), "fault filter abort");
    }
}
