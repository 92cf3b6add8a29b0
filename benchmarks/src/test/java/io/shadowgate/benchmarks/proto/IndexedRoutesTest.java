package io.shadowgate.benchmarks.proto;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.benchmarks.harness.BenchConfigs;
import io.shadowgate.benchmarks.jmh.RouteTables;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.SimpleRequest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prototype index answers like the linear scan. */
class IndexedRoutesTest {

    @Test
    void literalPrefixes() {
        assertThat(IndexedRoutes.literalPrefix("/svc12/[a-z]+")).isEqualTo("/svc12/");
        assertThat(IndexedRoutes.literalPrefix("/api/v1?/x")).isEqualTo("/api/v");
        assertThat(IndexedRoutes.literalPrefix("/a*")).isEqualTo("/");
        assertThat(IndexedRoutes.literalPrefix("/a{0,2}")).isEqualTo("/");
        assertThat(IndexedRoutes.literalPrefix("/a+b")).isEqualTo("/a");
        assertThat(IndexedRoutes.literalPrefix("/a|/b")).isEmpty();
        assertThat(IndexedRoutes.literalPrefix("(/a)")).isEmpty();
        assertThat(IndexedRoutes.literalPrefix("/a\\.json")).isEqualTo("/a");
    }

    @Test
    @SuppressWarnings("unchecked")
    void sameRouteAsTheLinearScan() {
        String yaml = RouteTables.yaml(200);
        LoadResult loaded = new ConfigLoader().loadString("t.yaml", yaml);
        VirtualService vs = loaded.resources().stream().filter(r -> r.spec() instanceof VirtualService)
                .map(r -> ((Resource<VirtualService>) r).spec()).findFirst().orElseThrow();
        RouteTable table = RouteTables.table(RouteTables.compile(loaded));
        IndexedRoutes slow = new IndexedRoutes(table, vs, false);
        IndexedRoutes fast = new IndexedRoutes(table, vs, true);
        Random r = new Random(3);
        String[] suffixes = {"", "-eu", "-EU", "x", "-"};
        String[] paths = {"/items/1", "/items/", "/Items/1", "/a/1?x=1", "/abc/123/4", ""};
        for (int t = 0; t < 5000; t++) {
            int route = r.nextInt(220);
            int tenant = r.nextBoolean() ? route : r.nextInt(220);
            SimpleRequest req = SimpleRequest.builder().authority(BenchConfigs.HOST)
                    .path("/svc" + route + paths[r.nextInt(paths.length)])
                    .header("x-tenant", "tenant-" + tenant + suffixes[r.nextInt(suffixes.length)]).build();
            RouteConfig expected = table.route(req);
            assertThat(slow.route(req)).as(req.toString()).isEqualTo(expected);
            assertThat(fast.route(req)).as(req.toString()).isEqualTo(expected);
        }
    }
}
