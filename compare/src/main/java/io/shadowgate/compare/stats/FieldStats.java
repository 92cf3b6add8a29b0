package io.shadowgate.compare.stats;

import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.diff.Difference;
import io.shadowgate.compare.noise.PathNoise;
import io.shadowgate.compare.report.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * One differing field (path + kind + detail) of a group: how often, and a reservoir sample of
 * examples. Thread-safe: the count is a {@link LongAdder}, the reservoir is guarded by this
 * object's monitor. Memory is bounded by {@code maxExamples} examples of bounded values, and new
 * example slots are only filled while the global example {@link Budget} lasts.
 */
final class FieldStats {

    final int id;
    final String path;
    final DiffKind kind;
    final String detail;
    final PathNoise noise;
    private final LongAdder count = new LongAdder();
    /** The decision of the latest look, read when exchanges are classified and counted; {@code null} before. */
    volatile io.shadowgate.compare.verdict.FieldJudgement judgement;
    private final Example[] examples;
    private long offered;

    FieldStats(int id, String path, DiffKind kind, String detail, PathNoise noise, int maxExamples) {
        this.id = id;
        this.path = path;
        this.kind = kind;
        this.detail = detail;
        this.noise = noise;
        this.examples = new Example[maxExamples];
    }

    void increment() {
        count.increment();
    }

    long count() {
        return count.sum();
    }

    /**
     * Offers an example; reservoir sampling keeps a uniform sample of all occurrences rather than
     * only the first ones, so examples stay representative after a fix is deployed.
     */
    void offerExample(String requestId, Difference d, LockedRandom random, Budget budget) {
        if (examples.length == 0) {
            return;
        }
        Example e = new Example(requestId, d.concretePath(), d.primaryValue(), d.mirrorValue());
        synchronized (this) {
            offered++;
            if (offered <= examples.length) {
                // A new slot costs from the global example budget; once spent, fields keep what they have.
                if (budget.tryTake()) {
                    examples[(int) offered - 1] = e;
                }
            } else {
                long j = random.nextLong(offered);
                if (j < examples.length && examples[(int) j] != null) {
                    examples[(int) j] = e;
                }
            }
        }
    }

    synchronized List<Example> examples() {
        List<Example> out = new ArrayList<>(examples.length);
        for (Example e : examples) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** A {@link RandomGenerator} made safe for several comparison threads. */
    static final class LockedRandom {
        private final RandomGenerator random;

        LockedRandom(RandomGenerator random) {
            this.random = random;
        }

        synchronized long nextLong(long bound) {
            return random.nextLong(bound);
        }
    }
}
