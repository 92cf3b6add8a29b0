package io.shadowgate.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.benchmarks.configs.BenchConfigs.Mirror;
import io.shadowgate.benchmarks.jmh.RouteTables;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import org.junit.jupiter.api.Test;

/** The scenario configurations compile and route as the harness assumes (no load is generated here). */
class BenchConfigsTest {

    private static final BenchConfigs.Ports PORTS = new BenchConfigs.Ports(19001, 19002, 19003);

    @Test
    void largeTableRoutesTheLateRequestToRoute990() {
        RouteTable table = RouteTables.table(RouteTables.compile(RouteTables.yaml(BenchConfigs.ROUTES)));
        assertThat(table.virtualHosts()).isNotEmpty();
        assertThat(table.route(RouteTables.requestFor(BenchConfigs.LATE_ROUTE)).name()).isEqualTo("r989");
        assertThat(table.route(RouteTables.requestFor(0)).name()).isEqualTo("r0");
        assertThat(table.route(RouteTables.requestFor(1)).name()).isEqualTo("r1");
        // The header decides: the late route's path with another tenant matches nothing.
        assertThat(table.route(SimpleRequest.builder().authority(BenchConfigs.HOST)
                .path(BenchConfigs.routePath(BenchConfigs.LATE_ROUTE)).header("x-tenant", "nobody").build())).isNull();
        // Odd routes take the header as a regex.
        assertThat(table.route(SimpleRequest.builder().authority(BenchConfigs.HOST).path(BenchConfigs.routePath(7))
                .header("x-tenant", "tenant-7-eu").build()).name()).isEqualTo("r7");
    }

    @Test
    void mirrorScenariosCompileWithTheirMirrorPolicy() {
        for (Mirror m : new Mirror[] {Mirror.FAST, Mirror.SLOW}) {
            RoutingSnapshot s = RouteTables.compile(BenchConfigs.shadowgateYaml(PORTS, m, 100, 1));
            RouteConfig r = RouteTables.table(s).route(SimpleRequest.get(BenchConfigs.HOST, "/"));
            ForwardAction f = (ForwardAction) r.action();
            assertThat(f.mirrors()).hasSize(1);
            assertThat(f.mirrors().get(0).cluster()).contains(m == Mirror.FAST ? "|v2|" : "|v2-slow|");
        }
        RoutingSnapshot ten = RouteTables.compile(BenchConfigs.shadowgateYaml(PORTS, Mirror.FAST, 10, 1));
        ForwardAction f = (ForwardAction) RouteTables.table(ten).route(SimpleRequest.get(BenchConfigs.HOST, "/"))
                .action();
        long sampled = 0;
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            if (f.mirrors().get(0).sampled(random.nextLong())) {
                sampled++;
            }
        }
        assertThat(sampled).isBetween(900L, 1100L);
        RoutingSnapshot none = RouteTables.compile(BenchConfigs.shadowgateYaml(PORTS, Mirror.NONE, 0, 1));
        assertThat(((ForwardAction) RouteTables.table(none).route(SimpleRequest.get(BenchConfigs.HOST, "/"))
                .action()).mirrors()).isEmpty();
    }

    @Test
    void nginxConfigurationMatchesTheScenario() {
        String plain = BenchConfigs.nginxConf("/tmp/w", 2, 18081, PORTS, Mirror.NONE, 0, 1);
        assertThat(plain).contains("worker_processes 2;", "listen 127.0.0.1:18081", "keepalive 1024;",
                "server 127.0.0.1:19001;").doesNotContain("mirror ");
        String slow = BenchConfigs.nginxConf("/tmp/w", 1, 18081, PORTS, Mirror.SLOW, 100, 1);
        assertThat(slow).contains("mirror /_mirror;", "proxy_pass http://v2slow$request_uri;")
                .doesNotContain("split_clients");
        String ten = BenchConfigs.nginxConf("/tmp/w", 1, 18081, PORTS, Mirror.FAST, 10, 1);
        assertThat(ten).contains("split_clients \"${request_id}\" $mirror_sampled { 10.0% \"1\"; * \"\"; }",
                "if ($mirror_sampled = \"\") { return 204; }");
        String large = BenchConfigs.nginxConf("/tmp/w", 1, 18081, PORTS, Mirror.NONE, 0, BenchConfigs.ROUTES);
        assertThat(large.split("location ~ ", -1)).hasSize(BenchConfigs.ROUTES + 1);
        assertThat(large).contains("location ~ \"^/svc989/[a-z]+/[0-9]+$\"",
                "if ($http_x_tenant !~ \"^tenant-989(-[a-z]+)?$\") { return 404; }");
    }

    @Test
    void parsesTheResultLineOfWrkAndTheOpenLoopGenerator() {
        LoadResult wrk = LoadResult.parse("Running 10s test\nRESULT requests=350000 duration_us=10000000 connect=0 "
                + "read=2 write=0 status=3 timeout=1 p50_us=1200.0 p90_us=2000.0 p99_us=4000.0 p999_us=9000.0 "
                + "max_us=12000.0 mean_us=1300.0\n");
        assertThat(wrk.rps()).isEqualTo(35_000.0);
        assertThat(wrk.errors()).isEqualTo(6);
        assertThat(wrk.p99Micros()).isEqualTo(4000.0);
        LoadResult open = LoadResult.parse("RESULT requests=50000 duration_us=10000000 errors=0 p50_us=310.5 "
                + "p90_us=400.0 p99_us=900.0 p999_us=2000.0 max_us=3000.0 mean_us=320.0 late=3");
        assertThat(open.p50Micros()).isEqualTo(310.5);
        assertThat(open.errors()).isZero();
        assertThat(LoadResult.parse("no result")).isNull();
    }

    @Test
    void wrkScriptSetsThePostBodyOnlyWhenAsked() {
        assertThat(Harness.luaScript(0)).contains("done = function").doesNotContain("wrk.method");
        assertThat(Harness.luaScript(1024)).contains("wrk.method = \"POST\"", "string.rep(\"x\", 1024)");
    }
}
