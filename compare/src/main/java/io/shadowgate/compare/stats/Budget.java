package io.shadowgate.compare.stats;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A global allowance of entries shared by all groups (fields, examples), so that the worst case
 * stays small even when every group is at its own bound. Thread-safe, lock-free.
 */
final class Budget {

    private final AtomicInteger remaining;

    Budget(int size) {
        this.remaining = new AtomicInteger(size);
    }

    /** Takes one unit; {@code false} when the budget is spent. */
    boolean tryTake() {
        while (true) {
            int r = remaining.get();
            if (r <= 0) {
                return false;
            }
            if (remaining.compareAndSet(r, r - 1)) {
                return true;
            }
        }
    }

    /** Returns a unit taken but not used. */
    void giveBack() {
        remaining.incrementAndGet();
    }
}
