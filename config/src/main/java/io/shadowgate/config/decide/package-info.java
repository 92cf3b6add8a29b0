/**
 * The routing decision for one request, in one place: {@link io.shadowgate.config.decide.RouteDecider#decide}.
 *
 * <p>Given an immutable {@link io.shadowgate.config.snapshot.RoutingSnapshot}, a
 * {@link io.shadowgate.config.snapshot.RequestView} and the request's one 64-bit random value (Envoy's
 * {@code stream_id}), it returns the listener, virtual host, route (the first match in table order, found through
 * the route index), action, the weighted destination that value picks, the consistent-hash key and the mirrors the
 * value samples (Istio's nested sampling, or the hash of a {@code shadowgate.io/mirror-sample-key}). The proxy forwards
 * by it, its mirror dispatcher starts the decided mirrors, and {@code explain} renders it together with an optional
 * {@link io.shadowgate.config.decide.DecisionTrace} of why each route matched or did not.
 *
 * <p>The decision is pure: no Netty, no clocks, no I/O, no state. Everything that depends on the running gateway
 * (endpoint health, connection pools, mirror budgets, the CPU budget, whether a cluster exists at runtime) stays in
 * the proxy and is reported there as outcomes. Without a trace the decision allocates only its result (and, on a
 * route with mirrors, the list of sampled ones).
 */
package io.shadowgate.config.decide;
