package io.shadowgate.benchmarks.harness;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.benchmarks.configs.BenchConfigs.Mirror;
import java.util.List;

/**
 * One line of the benchmark: the same load against the backend directly, or through NGINX and through Shadowgate
 * configured alike.
 *
 * @param id            short name used on the command line ({@code --scenarios})
 * @param title         what the table says
 * @param mirror        which mirror, if any
 * @param mirrorPercent share of requests mirrored
 * @param routes        routes in the VirtualService (1, or the large table)
 * @param connections   concurrent keep-alive client connections
 * @param postBytes     request body size (POST), 0 for GET
 * @param openLoop      fixed-rate load (the open-loop generator) instead of wrk's closed loop
 * @param direct        against the backend, no proxy
 */
record Scenario(String id, String title, Mirror mirror, double mirrorPercent, int routes, int connections,
                int postBytes, boolean openLoop, boolean direct) {

    static final int MIB = 1024 * 1024;

    /** Every scenario, in run order. */
    static List<Scenario> all(int connections) {
        return List.of(
                new Scenario("direct", "backend direct (no proxy)", Mirror.NONE, 0, 1, connections, 0, false, true),
                new Scenario("no-mirror", "proxy, no mirror", Mirror.NONE, 0, 1, connections, 0, false, false),
                new Scenario("mirror-100-fast", "100% mirror to a fast mirror", Mirror.FAST, 100, 1, connections, 0,
                        false, false),
                new Scenario("mirror-100-slow", "100% mirror to a 100 ms mirror", Mirror.SLOW, 100, 1, connections, 0,
                        false, false),
                new Scenario("mirror-10", "10% mirror to a fast mirror", Mirror.FAST, 10, 1, connections, 0, false,
                        false),
                new Scenario("routes-1000", "1,000 routes (regex+header), hits route 990", Mirror.NONE, 0,
                        BenchConfigs.ROUTES, connections, 0, false, false),
                new Scenario("body-1mib", "1 MiB POST bodies, 100% mirrored (fast)", Mirror.FAST, 100, 1, connections,
                        MIB, false, false),
                new Scenario("conn-1000", "1,000 connections, no mirror", Mirror.NONE, 0, 1, 1000, 0, false, false),
                new Scenario("open-direct", "fixed rate, backend direct", Mirror.NONE, 0, 1, connections, 0, true,
                        true),
                new Scenario("open-proxy", "fixed rate, proxy, no mirror", Mirror.NONE, 0, 1, connections, 0, true,
                        false),
                new Scenario("open-mirror-slow", "fixed rate, 100% mirror to 100 ms mirror", Mirror.SLOW, 100, 1,
                        connections, 0, true, false));
    }

    /** The path requests go to. */
    String path() {
        if (routes > 1) {
            return BenchConfigs.routePath(BenchConfigs.LATE_ROUTE);
        }
        return postBytes > 0 ? "/upload" : "/";
    }

    /** Request headers besides Host. */
    List<String> extraHeaders() {
        if (routes > 1) {
            return List.of("x-tenant: " + BenchConfigs.tenant(BenchConfigs.LATE_ROUTE));
        }
        return List.of();
    }
}
