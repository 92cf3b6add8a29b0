package io.shadowgate.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's ratios and verdicts, on made-up rows. */
class ReportTest {

    private static final Machine MACHINE = new Machine(2, "cpu", "kernel", "jdk", "nginx", "wrk", 1024, "abc", 0.1);

    private static Harness.Row row(String scenario, String proxy, double rps, double p50, double p99, double other) {
        Scenario s = Scenario.all(50).stream().filter(x -> x.id().equals(scenario)).findFirst().orElseThrow();
        LoadResult l = new LoadResult((long) (rps * 10), 10, 0, p50, p50, p99, p99, p99);
        return new Harness.Row(s, proxy, 1, l, 5, 1, 1, other, 300 * 1024, Double.NaN, (long) (rps * 10), 4, 0);
    }

    @Test
    void ratiosAndVerdicts() {
        Options o = new Options();
        String md = new Report(o, MACHINE, Instant.EPOCH, List.of(
                row("no-mirror", Harness.NGINX, 20_000, 1500, 5000, 0),
                row("no-mirror", Harness.SHADOWGATE, 22_000, 1400, 4000, 0),
                row("open-direct", Harness.DIRECT, 2000, 300, 1000, 0),
                row("open-proxy", Harness.SHADOWGATE, 2000, 400, 1500, 0)), List.of(), List.of()).markdown();
        assertThat(md).contains("| no-mirror | shadowgate | 1 | 50 | 22,000 |", "| 1.10 | 0.93 | 0.80 |");
        assertThat(md).contains("| no mirror: req/s ≥ NGINX's | 1.10× | met |");
        assertThat(md).contains("+0.100 / +0.500 ms", "p99 ≤ 1 ms | +0.100 / +0.500 ms | met |");
    }

    @Test
    void disturbedOrNonsensicalRunsAreInconclusive() {
        Options o = new Options();
        String md = new Report(o, MACHINE, Instant.EPOCH, List.of(
                row("no-mirror", Harness.NGINX, 20_000, 1500, 5000, 6.0),
                row("no-mirror", Harness.SHADOWGATE, 10_000, 3000, 9000, 0),
                row("open-direct", Harness.DIRECT, 2000, 800, 16000, 0),
                row("open-proxy", Harness.SHADOWGATE, 2000, 400, 5000, 0)), List.of(), List.of()).markdown();
        assertThat(md).contains("| 6.0 ⚠ |", "inconclusive (disturbed run: no-mirror / nginx)",
                "inconclusive (baseline slower than the proxy: noise)");
    }
}
