package io.shadowgate.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Percentiles of the open-loop generator and the profile summary. */
class SummariesTest {

    @Test
    void nearestRankPercentiles() throws Exception {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1000L; // 1..100 µs
        }
        var pct = Class.forName("io.shadowgate.benchmarks.load.OpenLoop")
                .getDeclaredMethod("pct", long[].class, double.class);
        pct.setAccessible(true);
        assertThat((double) pct.invoke(null, sorted, 50.0)).isEqualTo(50.0);
        assertThat((double) pct.invoke(null, sorted, 99.0)).isEqualTo(99.0);
        assertThat((double) pct.invoke(null, sorted, 99.9)).isEqualTo(100.0);
        assertThat((double) pct.invoke(null, new long[0], 50.0)).isZero();
    }

    @Test
    void profileSummaryCountsSelfAndInclusiveSamples() {
        String s = Profiler.summarize(List.of("a;b;c 10", "a;b 5", "a;d;c 5"), 10);
        assertThat(s).contains("samples: 20");
        assertThat(s.substring(s.indexOf("-- self --"), s.indexOf("-- inclusive --")))
                .contains("75.00%        15  c", "25.00%         5  b");
        assertThat(s.substring(s.indexOf("-- inclusive --"))).contains("100.00%        20  a", "75.00%        15  b");
    }
}
