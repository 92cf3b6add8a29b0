package io.shadowgate.admin.ui;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowgate.admin.http.AdminRouter;

/** Registers the dashboard's paths on an admin router. */
public final class Dashboard {

    /** Where the page is served. */
    public static final String PATH = "/ui/";

    private Dashboard() {
    }

    /**
     * Registers {@code /ui/*}, and {@code /stats/versions} when {@code registry} is given and {@code /compare/pairs}
     * when {@code pairs} is; the page shows what is there and says what is not.
     */
    public static void register(AdminRouter router, MeterRegistry registry, SamplePairs pairs) {
        router.register("/ui/*", DashboardAssets.load());
        if (registry != null) {
            router.register("/stats/versions", new VersionStatsEndpoint(registry));
        }
        if (pairs != null) {
            router.register("/compare/pairs", new SamplePairsEndpoint(pairs));
        }
    }
}
