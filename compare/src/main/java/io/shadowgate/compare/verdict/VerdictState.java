package io.shadowgate.compare.verdict;

import io.shadowgate.compare.report.Verdict;
import java.time.Instant;

/**
 * The verdict of one route or group over time, which never flaps: {@code INSUFFICIENT_DATA} until a look finds enough
 * data ({@code PASS}) or strong evidence against v2 ({@code FAIL}); {@code PASS} stays unless a later look fails;
 * {@code FAIL} stays until the statistics are reset (a new object). Thread-safe (synchronized; a look is rare).
 */
public final class VerdictState {

    private Verdict verdict = Verdict.INSUFFICIENT_DATA;
    private Instant since;
    private String reason;
    private long after;

    /**
     * The verdict after one look.
     *
     * @param verdict the verdict
     * @param since   when it became what it is ({@code null} while INSUFFICIENT_DATA)
     * @param reason  the line of the look that decided it ({@code null} while INSUFFICIENT_DATA)
     * @param after   comparisons when it was decided (0 while INSUFFICIENT_DATA): the requests a verdict took
     */
    public record Snapshot(Verdict verdict, Instant since, String reason, long after) {
    }

    /**
     * Applies one look's outcome: FAIL sticks; PASS sticks unless a look fails; otherwise nothing changes.
     *
     * @param computed what the look found
     * @param line     the look's verdict line, kept as the reason when the verdict changes
     * @param now      when the look happened
     * @param compared comparisons seen by the look
     * @return the verdict after the look
     */
    public synchronized Snapshot update(Verdict computed, String line, Instant now, long compared) {
        if (verdict != Verdict.FAIL && computed == Verdict.FAIL
                || verdict == Verdict.INSUFFICIENT_DATA && computed == Verdict.PASS) {
            verdict = computed;
            since = now;
            reason = line;
            after = compared;
        }
        return snapshot();
    }

    /** The current verdict. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(verdict, since, reason, after);
    }
}
