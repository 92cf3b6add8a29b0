package io.shadowgate.compare.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesWithinSixPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 1_000; ms++) {
            h.record(ms * 1_000_000L);
        }
        assertThat(h.count()).isEqualTo(1_000);
        assertThat((double) h.valueAtQuantile(0.50)).isCloseTo(500e6, within(500e6 * 0.065));
        assertThat((double) h.valueAtQuantile(0.95)).isCloseTo(950e6, within(950e6 * 0.065));
        assertThat((double) h.valueAtQuantile(0.99)).isCloseTo(990e6, within(990e6 * 0.065));
    }

    @Test
    void extremesAreClampedAndEmptyIsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.valueAtQuantile(0.5)).isZero();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertThat(h.valueAtQuantile(0.5)).isLessThan(1_024);
        assertThat(h.valueAtQuantile(1.0)).isGreaterThan(100_000_000_000L);
    }

    @Test
    void bucketsAreContiguous() {
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            assertThat(LatencyHistogram.upperBound(i)).isEqualTo(LatencyHistogram.lowerBound(i + 1));
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i + 1))).isEqualTo(i + 1);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i + 1) - 1)).isEqualTo(i);
        }
    }
}
