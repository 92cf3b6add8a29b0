package io.shadowgate.compare.verdict;

/**
 * The few tests and intervals the verdict needs, for counts that can reach millions. Pure functions, no state.
 *
 * <ul>
 *   <li>{@link #wilson} — Wilson score interval of a rate x/n (behaves at 0 and at small n);</li>
 *   <li>{@link #newcombe} — Newcombe's hybrid interval of a difference of two rates, from their Wilson intervals;</li>
 *   <li>{@link #fisherGreater} — one-sided Fisher exact test that the first rate is higher than the second;</li>
 *   <li>{@link #binomialAtLeast} — P(X ≥ x) for X ~ Binomial(n, p) (one-sided exact test against a rate);</li>
 *   <li>{@link #benjaminiHochberg} — which of m p-values are rejected at false-discovery rate q;</li>
 *   <li>{@link #mannWhitneyGreater} — the Mann–Whitney rank test on two binned samples (histograms), with ties.</li>
 * </ul>
 *
 * <p>Exact tails are summed from the observed value outwards with the ratio of consecutive terms and stop once the
 * terms no longer change the sum, so the work is a few standard deviations of terms, not n.
 */
public final class Statistics {

    /** z for a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private Statistics() {
    }

    /** A closed interval. */
    public record Interval(double low, double high) {
    }

    /** Wilson score interval of x successes in n trials; [0, 1] when n is 0. */
    public static Interval wilson(long x, long n, double z) {
        if (n <= 0) {
            return new Interval(0, 1);
        }
        double p = (double) x / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Newcombe's interval of x1/n1 − x2/n2 (method 10: hybrid score, from the two Wilson intervals). */
    public static Interval newcombe(long x1, long n1, long x2, long n2, double z) {
        double p1 = n1 == 0 ? 0 : (double) x1 / n1;
        double p2 = n2 == 0 ? 0 : (double) x2 / n2;
        Interval a = wilson(x1, n1, z);
        Interval b = wilson(x2, n2, z);
        double d = p1 - p2;
        double low = d - Math.sqrt(sq(p1 - a.low()) + sq(b.high() - p2));
        double high = d + Math.sqrt(sq(a.high() - p1) + sq(p2 - b.low()));
        return new Interval(Math.max(-1, low), Math.min(1, high));
    }

    /**
     * One-sided Fisher exact test of "x1/n1 is higher than x2/n2": the probability, with the margins fixed, that the
     * first group has at least x1 of the x1 + x2 successes.
     */
    public static double fisherGreater(long x1, long n1, long x2, long n2) {
        if (x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) {
            throw new IllegalArgumentException("counts out of range: " + x1 + "/" + n1 + ", " + x2 + "/" + n2);
        }
        long k = x1 + x2; // successes
        long n = n1 + n2;
        if (k == 0 || n1 == 0 || n2 == 0) {
            return 1;
        }
        long lo = Math.max(0, k - n2);
        long hi = Math.min(k, n1);
        // Hypergeometric: P(X = x) for X successes among the n1 draws.
        double mode = Math.floor((k + 1.0) * (n1 + 1.0) / (n + 2.0));
        if (x1 > mode) {
            return Math.min(1, tail(x1, hi, +1, lo, hi, k, n1, n2));
        }
        // The upper tail contains the mode: 1 − P(X ≤ x1 − 1), the lower tail decreasing away from x1 − 1.
        if (x1 <= lo) {
            return 1;
        }
        return Math.max(0, Math.min(1, 1 - tail(x1 - 1, lo, -1, lo, hi, k, n1, n2)));
    }

    /** Sum of hypergeometric terms from {@code from} towards {@code to} (step ±1), stopping when negligible. */
    private static double tail(long from, long to, int step, long lo, long hi, long k, long n1, long n2) {
        double logTerm = logHypergeometric(from, k, n1, n2);
        double term = Math.exp(logTerm);
        double sum = term;
        long x = from;
        while (x != to) {
            // Ratio P(x+1)/P(x) = (k−x)(n1−x) / ((x+1)(n2−k+x+1)).
            double ratio = step > 0
                    ? ((double) (k - x) * (n1 - x)) / ((double) (x + 1) * (n2 - k + x + 1))
                    : ((double) x * (n2 - k + x)) / ((double) (k - x + 1) * (n1 - x + 1));
            x += step;
            term *= ratio;
            if (term == 0 || term < sum * 1e-17) {
                break;
            }
            sum += term;
        }
        return sum;
    }

    private static double logHypergeometric(long x, long k, long n1, long n2) {
        return logChoose(n1, x) + logChoose(n2, k - x) - logChoose(n1 + n2, k);
    }

    /**
     * P(X ≥ x) for X ~ Binomial(n, p): the one-sided exact test that a rate is higher than p.
     */
    public static double binomialAtLeast(long x, long n, double p) {
        if (x <= 0) {
            return 1;
        }
        if (x > n) {
            return 0;
        }
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double mean = n * p;
        if (x > mean) {
            double logTerm = logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p);
            double term = Math.exp(logTerm);
            double sum = term;
            for (long i = x; i < n; i++) {
                term *= ((double) (n - i) / (i + 1)) * (p / (1 - p));
                if (term == 0 || term < sum * 1e-17) {
                    break;
                }
                sum += term;
            }
            return Math.min(1, sum);
        }
        // Lower tail P(X ≤ x − 1), decreasing away from x − 1.
        long from = x - 1;
        double logTerm = logChoose(n, from) + from * Math.log(p) + (n - from) * Math.log1p(-p);
        double term = Math.exp(logTerm);
        double sum = term;
        for (long i = from; i > 0; i--) {
            term *= ((double) i / (n - i + 1)) * ((1 - p) / p);
            if (term == 0 || term < sum * 1e-17) {
                break;
            }
            sum += term;
        }
        return Math.max(0, Math.min(1, 1 - sum));
    }

    /**
     * Benjamini–Hochberg step-up at false-discovery rate q: which of {@code p} are rejected when they are part of
     * {@code m} tests in all ({@code m ≥ p.length}; tests outside {@code p} are assumed not to rank below these, which
     * only makes the rule stricter). Also returns each p-value's adjusted value.
     *
     * @return adjusted p-values ({@code min(1, p·m/rank)} made monotone); a test is rejected when its adjusted value is
     *         at most q
     */
    public static double[] benjaminiHochberg(double[] p, long m) {
        int n = p.length;
        long total = Math.max(m, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] adjusted = new double[n];
        double running = 1;
        for (int r = n - 1; r >= 0; r--) {
            int i = order[r];
            running = Math.min(running, p[i] * total / (r + 1));
            adjusted[i] = Math.min(1, running);
        }
        return adjusted;
    }

    /** Result of a rank test: the one-sided p-value and the probability that a value of the second sample is higher. */
    public record RankTest(double pValue, double probabilityHigher) {
    }

    /**
     * One-sided Mann–Whitney test that values of {@code b} tend to be higher than values of {@code a}, from two
     * histograms over the same buckets (values in one bucket are ties). Normal approximation with the tie correction
     * and a continuity correction; {@code probabilityHigher} is P(B &gt; A) + ½ P(B = A), 0.5 meaning no shift.
     */
    public static RankTest mannWhitneyGreater(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("histograms of different sizes: " + a.length + ", " + b.length);
        }
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            na += a[i];
            nb += b[i];
        }
        if (na == 0 || nb == 0) {
            return new RankTest(1, 0.5);
        }
        double u = 0; // pairs (a, b) with b > a, ties counting half
        double below = 0;
        double tieTerm = 0;
        for (int i = 0; i < a.length; i++) {
            u += b[i] * (below + 0.5 * a[i]);
            below += a[i];
            double t = a[i] + b[i];
            tieTerm += t * t * t - t;
        }
        double n = na + nb;
        double mean = na * nb / 2;
        double variance = na * nb / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
        double cles = u / (na * nb);
        if (variance <= 0) {
            return new RankTest(1, cles);
        }
        double z = (u - mean - 0.5) / Math.sqrt(variance);
        return new RankTest(upperNormal(z), cles);
    }

    /** P(Z &gt; z) for a standard normal Z. */
    public static double upperNormal(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** log(n choose k). */
    static double logChoose(long n, long k) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    private static final double[] SMALL_LOG_FACTORIALS = new double[256];

    static {
        double s = 0;
        for (int i = 1; i < SMALL_LOG_FACTORIALS.length; i++) {
            s += Math.log(i);
            SMALL_LOG_FACTORIALS[i] = s;
        }
    }

    /** log(n!), exact for small n, Stirling's series beyond. */
    static double logFactorial(long n) {
        if (n < SMALL_LOG_FACTORIALS.length) {
            return SMALL_LOG_FACTORIALS[(int) n];
        }
        double x = n + 1.0;
        // log Γ(x) by Stirling with three correction terms: error far below 1e-12 for x ≥ 256.
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
                + 1 / (1260 * Math.pow(x, 5));
    }

    private static double sq(double v) {
        return v * v;
    }
}
