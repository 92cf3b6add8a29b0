package io.shadowgate.config.decide;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.WeightedDestination;

/**
 * The one routing decision: what the configuration says to do with a request (Envoy's
 * {@code ConfigImpl::route(headers, stream_info, random_value)}, plus the weighted pick, the hash key and mirror
 * sampling). Used by the proxy per request, by its mirror dispatcher (through the decided {@link MirrorSampling})
 * and by {@code explain}.
 */
public final class RouteDecider {

    private RouteDecider() {
    }

    /**
     * Decides what to do with {@code request}.
     *
     * <ol>
     *   <li>The listener of {@link RequestView#listenerPort()}; none: {@link RouteDecision.Outcome#NO_LISTENER}.
     *   <li>The virtual host of the authority and its first matching route in table order, through the listener's
     *       route index ({@link RouteTable#select(RequestView)}).
     *   <li>For a forward route: the destination {@code random} picks ({@link ForwardAction#pick(long)}), the hash
     *       key under the destination cluster's load balancer ({@link HashKey#of}) and the sampled mirrors
     *       ({@link MirrorSampling#sample}).
     * </ol>
     *
     * @param snapshot the configuration
     * @param request  the request
     * @param random   the request's 64-bit random value (Envoy's {@code stream_id}); unsigned
     * @param trace    records why each route matched or not, or {@code null} (the data path: no cost)
     */
    public static RouteDecision decide(RoutingSnapshot snapshot, RequestView request, long random,
                                       DecisionTrace trace) {
        ListenerConfig listener = snapshot.listener(request.listenerPort());
        if (listener == null) {
            return new RouteDecision(random, null, null, null, null, null, MirrorSampling.NONE);
        }
        RouteTable table = listener.routes();
        RouteTable.Selection selection = table.select(request);
        RouteConfig route = selection.route();
        if (trace != null) {
            trace.recordRoutes(table, selection.virtualHost(), route, request);
        }
        if (route == null || !(route.action() instanceof ForwardAction forward)) {
            return new RouteDecision(random, listener, selection.virtualHost(), route, null, null,
                    MirrorSampling.NONE);
        }
        WeightedDestination destination = forward.pick(random);
        ClusterConfig cluster = snapshot.cluster(destination.cluster());
        HashKey hashKey = cluster == null ? null : HashKey.of(cluster.loadBalancer(), request);
        return new RouteDecision(random, listener, selection.virtualHost(), route, destination, hashKey,
                MirrorSampling.sample(forward, request, random));
    }
}
