package io.shadowgate.compare.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Verdict rules and verdict wording. Static, thread-safe.
 *
 * <ul>
 *   <li>{@link Verdict#INSUFFICIENT_DATA} while {@code compared < minComparisons};</li>
 *   <li>{@link Verdict#PASS} when {@code different / compared <= maxDifferenceRate};</li>
 *   <li>{@link Verdict#FAIL} otherwise.</li>
 * </ul>
 * Noise-only exchanges count as matching.
 */
public final class Verdicts {

    private Verdicts() {
    }

    /** The machine-readable verdict. */
    public static Verdict decide(long compared, long different, double maxDifferenceRate, long minComparisons) {
        if (compared < minComparisons) {
            return Verdict.INSUFFICIENT_DATA;
        }
        return (double) different / compared <= maxDifferenceRate ? Verdict.PASS : Verdict.FAIL;
    }

    /**
     * The one-line verdict, e.g. {@code v2 matches v1 on 99.6% of 4,210 requests; 2 fields differ:
     * $.price (type changed number→string), $.inStock (missing in v2)}, or
     * {@code not enough data: 12 of 100 requests needed}.
     *
     * @param fields    differing fields, most frequent first; noise fields are not named, only counted
     * @param maxNamed  how many fields to name before "and N more"
     */
    public static String line(String primaryLabel, String mirrorLabel, long compared, long different,
            long minComparisons, List<FieldReport> fields, int maxNamed) {
        if (compared < minComparisons) {
            return String.format(Locale.ROOT, "not enough data: %,d of %,d requests needed", compared, minComparisons);
        }
        // Round the match share down so that a single difference never shows as 100.0%.
        double matchPct = Math.floor((compared - different) * 1000.0 / compared) / 10.0;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s matches %s on %.1f%% of %,d requests",
                label(mirrorLabel, "mirror"), label(primaryLabel, "primary"), matchPct, compared));
        List<FieldReport> real = new ArrayList<>();
        int noisy = 0;
        for (FieldReport f : fields) {
            if (f.noise()) {
                noisy++;
            } else {
                real.add(f);
            }
        }
        if (real.isEmpty()) {
            sb.append("; no differences");
        } else {
            sb.append("; ").append(real.size()).append(real.size() == 1 ? " field differs: " : " fields differ: ");
            for (int i = 0; i < Math.min(maxNamed, real.size()); i++) {
                FieldReport f = real.get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(f.path()).append(" (").append(f.description()).append(')');
            }
            if (real.size() > maxNamed) {
                sb.append(", and ").append(real.size() - maxNamed).append(" more");
            }
        }
        if (noisy > 0) {
            sb.append(noisy == 1 ? " (1 noisy field ignored)" : " (" + noisy + " noisy fields ignored)");
        }
        return sb.toString();
    }

    /** The label, or the fallback when the proxy did not know the version. */
    public static String label(String version, String fallback) {
        return version == null || version.isBlank() ? fallback : version;
    }
}
