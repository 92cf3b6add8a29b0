package io.shadowgate.config.decide;

import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Why each route of the selected virtual host matched or did not, recorded by {@link RouteDecider#decide} when one
 * is passed (for {@code explain}, tests and, later, the dashboard). The data path passes {@code null}: nothing is
 * recorded and nothing extra is computed.
 *
 * <p>The steps cover the routes in table order up to and including the match (all of them when none matches): the
 * ones before the match did not match, and {@link RouteStep#mismatch()} says which condition failed, in
 * {@link io.shadowgate.config.snapshot.RequestMatcher#describe()} wording. The route index decides; the trace only
 * explains, so each step also says whether the index evaluated the route or ruled it out by its path prefix.
 *
 * <p>One trace records one decision; not thread-safe.
 */
public final class DecisionTrace {

    private final List<RouteStep> routes = new ArrayList<>();

    /**
     * One route considered for the request.
     *
     * @param index          the route's position in {@link VirtualHostConfig#routes()}
     * @param route          the route
     * @param indexCandidate whether the route index evaluated it; {@code false}: its path prefix rules it out
     * @param mismatch       the first condition the request fails, or {@code null} for the matching route
     */
    public record RouteStep(int index, RouteConfig route, boolean indexCandidate, String mismatch) {

        /** Whether this is the route that matched. */
        public boolean matched() {
            return mismatch == null;
        }
    }

    /** The routes considered, in table order, ending with the match when there is one. */
    public List<RouteStep> routes() {
        return List.copyOf(routes);
    }

    /** Records the steps of {@code virtualHost} leading to {@code matched} (or through every route when null). */
    void recordRoutes(RouteTable table, VirtualHostConfig virtualHost, RouteConfig matched, RequestView request) {
        routes.clear();
        if (virtualHost == null) {
            return;
        }
        BitSet candidates = table.indexCandidates(request);
        List<RouteConfig> all = virtualHost.routes();
        for (int i = 0; i < all.size(); i++) {
            RouteConfig r = all.get(i);
            if (r == matched) {
                routes.add(new RouteStep(i, r, candidates.get(i), null));
                return;
            }
            String mismatch = r.matcher().mismatch(request);
            if (mismatch == null) {
                // The index returned a later route (or none) although this one matches: an index bug, never hidden.
                throw new IllegalStateException("route #" + i + " of " + virtualHost.name() + " matches "
                        + request.method() + " " + request.path() + " but the route index chose "
                        + (matched == null ? "none" : "a later route"));
            }
            routes.add(new RouteStep(i, r, candidates.get(i), mismatch));
        }
    }
}
