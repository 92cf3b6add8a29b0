/**
 * The compiled, immutable routing snapshot: what the data path reads once per request.
 *
 * <p>Everything here is built by {@code io.shadowgate.config.compile} from Istio resources and never changes after
 * construction, so the proxy can read it from any event loop without locks. Requests are routed by
 * {@link io.shadowgate.config.snapshot.RouteTable#select(RequestView)}, which finds the first matching route through a
 * per-virtual-host prefix index ({@code RouteIndex}) rather than trying every route; weighted picks and mirror
 * sampling take the request's one 64-bit random value ({@link io.shadowgate.config.snapshot.ForwardAction#pick(long)},
 * {@link io.shadowgate.config.snapshot.MirrorPolicy#sampled(long)}), as Envoy's {@code stream_id} does. The proxy and
 * {@code explain} do not call these directly: {@code io.shadowgate.config.decide.RouteDecider} puts them together
 * into one decision.
 *
 * <p>Nothing in this package depends on Netty: {@code explain}, benchmarks and tests route requests without sockets.
 */
package io.shadowgate.config.snapshot;
