package io.shadowgate.cli.gateway;

import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.RouteOverrides;
import io.shadowgate.config.snapshot.CompareIgnore;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The comparison's per-route ignore rules, taken from the serving snapshot (the VirtualServices'
 * {@code shadowgate.io/compare-ignore} annotations), so that an intended difference is declared next to the route
 * and reloads with it. The comparison asks {@link #overrides} for each route key; on every new snapshot the index is
 * rebuilt first and the settings' per-route cache dropped after, so no comparison keeps an old rule.
 *
 * <p>Thread-safe: the index is replaced whole.
 */
final class CompareRouteRules {

    private volatile Map<String, RouteOverrides> byRoute = Map.of();
    private volatile String indexedVersion;
    private volatile Supplier<RoutingSnapshot> snapshots;
    private volatile CompareSettings settings;

    /** Where the serving snapshot is read, and the settings whose cache a new snapshot invalidates. */
    void bind(Supplier<RoutingSnapshot> snapshots, CompareSettings settings) {
        this.snapshots = snapshots;
        this.settings = settings;
        refresh();
    }

    /** A snapshot took effect: index its rules (once per version). */
    void refresh() {
        Supplier<RoutingSnapshot> source = snapshots;
        RoutingSnapshot s = source == null ? null : source.get();
        if (s == null || s.version().equals(indexedVersion)) {
            return;
        }
        byRoute = index(s);
        indexedVersion = s.version();
        CompareSettings cs = settings;
        if (cs != null) {
            cs.routesChanged();
        }
    }

    /**
     * The overrides for a comparison route key ({@code namespace/name#index}, optionally followed by a space and
     * the rule's name, as {@link CompareBridge} builds it), or {@code null}.
     */
    RouteOverrides overrides(String routeKey) {
        int space = routeKey.indexOf(' ');
        return byRoute.get(space < 0 ? routeKey : routeKey.substring(0, space));
    }

    /** Route origin key to overrides, for the routes whose VirtualService declares ignore rules. */
    static Map<String, RouteOverrides> index(RoutingSnapshot snapshot) {
        Map<String, RouteOverrides> out = new HashMap<>();
        for (ListenerConfig l : snapshot.listeners()) {
            for (VirtualHostConfig vh : l.routes().virtualHosts()) {
                for (RouteConfig r : vh.routes()) {
                    if (r.origin() == null || !(r.action() instanceof ForwardAction f)) {
                        continue;
                    }
                    CompareIgnore ignore = f.mirrorOptions() == null ? CompareIgnore.NONE
                            : f.mirrorOptions().compareIgnore();
                    if (!ignore.isEmpty()) {
                        out.putIfAbsent(r.origin().key(), RouteOverrides.builder()
                                .ignoreHeader(ignore.headers().toArray(String[]::new))
                                .ignorePointer(ignore.pointers().toArray(String[]::new)).build());
                    }
                }
            }
        }
        return Map.copyOf(out);
    }
}
