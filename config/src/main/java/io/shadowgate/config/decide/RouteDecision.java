package io.shadowgate.config.decide;

import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RouteAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;

/**
 * What the configuration says to do with one request ({@link RouteDecider#decide}). Immutable.
 *
 * @param random      the request's random value the decision was made with
 * @param listener    the listener of the request's port, or {@code null} (then nothing else is set)
 * @param virtualHost the virtual host serving the request's authority, or {@code null}
 * @param route       the first matching route of that virtual host in table order, or {@code null} (Envoy's
 *                    {@code NR})
 * @param destination for a forward route, the weighted destination {@code random} picks; else {@code null}
 * @param hashKey     for a forward route whose destination cluster hashes consistently, the key this request
 *                    hashes on; {@code null} when there is no hash policy, no such cluster, or the key is absent
 * @param mirrors     for a forward route, the mirrors the request's value samples; {@link MirrorSampling#NONE}
 *                    otherwise
 */
public record RouteDecision(long random, ListenerConfig listener, VirtualHostConfig virtualHost, RouteConfig route,
                            WeightedDestination destination, HashKey hashKey, MirrorSampling mirrors) {

    /** What the decision comes to, for renderers and logs. */
    public enum Outcome {
        /** No listener has the request's port. */
        NO_LISTENER,
        /** No virtual host of the listener serves the authority (404 {@code NR}). */
        NO_VIRTUAL_HOST,
        /** The virtual host has no route for the request (404 {@code NR}). */
        NO_ROUTE,
        /** Forward to {@link #destination()}. */
        FORWARD,
        /** Answer with a redirect. */
        REDIRECT,
        /** Answer with the route's direct response. */
        DIRECT_RESPONSE
    }

    /** The matched route's action, or {@code null} when no route matched. */
    public RouteAction action() {
        return route == null ? null : route.action();
    }

    /** The matched route's forward action, or {@code null} when it is not a forward route (or none matched). */
    public ForwardAction forward() {
        return route != null && route.action() instanceof ForwardAction f ? f : null;
    }

    /** The outcome of this decision. */
    public Outcome outcome() {
        if (listener == null) {
            return Outcome.NO_LISTENER;
        }
        if (virtualHost == null) {
            return Outcome.NO_VIRTUAL_HOST;
        }
        if (route == null) {
            return Outcome.NO_ROUTE;
        }
        if (route.action() instanceof RedirectAction) {
            return Outcome.REDIRECT;
        }
        return route.action() instanceof DirectResponseAction ? Outcome.DIRECT_RESPONSE : Outcome.FORWARD;
    }
}
