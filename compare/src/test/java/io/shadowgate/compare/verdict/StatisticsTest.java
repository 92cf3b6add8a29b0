package io.shadowgate.compare.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known values (R: fisher.test, binom.test, prop.test, wilcox.test) and edge cases of the verdict's statistics. */
class StatisticsTest {

    @Test
    void wilsonIntervalMatchesTheTextbookValues() {
        Statistics.Interval i = Statistics.wilson(5, 100, Statistics.Z95);
        assertThat(i.low()).isCloseTo(0.02154, within(1e-4));
        assertThat(i.high()).isCloseTo(0.11175, within(1e-4));
        Statistics.Interval zero = Statistics.wilson(0, 1000, Statistics.Z95);
        assertThat(zero.low()).isCloseTo(0, within(1e-12));
        assertThat(zero.high()).isCloseTo(0.00383, within(1e-4));
        assertThat(Statistics.wilson(0, 0, Statistics.Z95)).isEqualTo(new Statistics.Interval(0, 1));
    }

    @Test
    void newcombeIntervalOfADifference() {
        // Newcombe (1998), example (56/70 − 48/80): 0.0524 to 0.3339.
        Statistics.Interval i = Statistics.newcombe(56, 70, 48, 80, Statistics.Z95);
        assertThat(i.low()).isCloseTo(0.0524, within(1e-3));
        assertThat(i.high()).isCloseTo(0.3339, within(1e-3));
    }

    @Test
    void fisherOneSidedMatchesR() {
        // fisher.test(matrix(c(5,495,0,100),2), alternative="greater")$p.value = 0.4005 (analysis.md §3.2: 0.40)
        assertThat(Statistics.fisherGreater(5, 500, 0, 100)).isCloseTo(0.40053, within(1e-5));
        // 5/500 against 0/1000: 0.00406
        assertThat(Statistics.fisherGreater(5, 500, 0, 1000)).isCloseTo(0.0040605, within(1e-6));
        // Equal rates are not significant; the opposite direction is nearly 1.
        assertThat(Statistics.fisherGreater(31, 100, 31, 100)).isGreaterThan(0.4);
        assertThat(Statistics.fisherGreater(0, 100, 30, 100)).isCloseTo(1.0, within(1e-9));
        assertThat(Statistics.fisherGreater(0, 100, 0, 100)).isEqualTo(1.0);
        // Large counts stay fast and sane.
        assertThat(Statistics.fisherGreater(33_000, 1_000_000, 31_000, 1_000_000)).isLessThan(1e-10);
        assertThat(Statistics.fisherGreater(310_000, 1_000_000, 31_000, 100_000)).isGreaterThan(0.5);
    }

    @Test
    void binomialTailMatchesR() {
        // binom.test(5, 5, 0.5, alternative="greater"): 0.03125; 1 - pbinom(9, 1000, 0.005) = 0.0318
        assertThat(Statistics.binomialAtLeast(5, 5, 0.5)).isCloseTo(0.03125, within(1e-9));
        assertThat(Statistics.binomialAtLeast(10, 1000, 0.005)).isCloseTo(0.0318, within(1e-3));
        assertThat(Statistics.binomialAtLeast(0, 10, 0.5)).isEqualTo(1.0);
        assertThat(Statistics.binomialAtLeast(1, 100, 0.5)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void benjaminiHochbergAdjustsAndStaysMonotone() {
        double[] adjusted = Statistics.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005}, 4);
        // R p.adjust(c(0.01,0.04,0.03,0.005), "BH") = 0.02 0.04 0.04 0.02
        assertThat(adjusted).containsExactly(new double[] {0.02, 0.04, 0.04, 0.02}, within(1e-12));
        // More tests elsewhere make the same p-values weaker.
        assertThat(Statistics.benjaminiHochberg(new double[] {0.01}, 100)[0]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void mannWhitneyOnHistograms() {
        long[] a = new long[10];
        long[] b = new long[10];
        a[2] = 100;
        b[2] = 100;
        Statistics.RankTest same = Statistics.mannWhitneyGreater(a, b);
        assertThat(same.pValue()).isEqualTo(1.0);
        assertThat(same.probabilityHigher()).isCloseTo(0.5, within(1e-12));
        long[] slower = new long[10];
        slower[5] = 100;
        Statistics.RankTest shifted = Statistics.mannWhitneyGreater(a, slower);
        assertThat(shifted.pValue()).isLessThan(1e-20);
        assertThat(shifted.probabilityHigher()).isEqualTo(1.0);
        assertThat(Statistics.mannWhitneyGreater(slower, a).pValue()).isGreaterThan(0.99);
    }
}
