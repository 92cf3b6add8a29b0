package io.shadowgate.compare.stats;

import io.shadowgate.compare.report.DifferenceRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Ring buffer of the most recent difference records. Thread-safe (guarded by this object's
 * monitor; writes are one array store). Bounded by its capacity; capacity 0 keeps nothing.
 */
final class RecentDifferences {

    private final DifferenceRecord[] ring;
    private int next;
    private int size;

    RecentDifferences(int capacity) {
        this.ring = new DifferenceRecord[capacity];
    }

    synchronized void add(DifferenceRecord r) {
        if (ring.length == 0) {
            return;
        }
        ring[next] = r;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** Oldest first. */
    synchronized List<DifferenceRecord> snapshot() {
        List<DifferenceRecord> out = new ArrayList<>(size);
        int start = (next - size + ring.length) % Math.max(1, ring.length);
        for (int i = 0; i < size; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }

    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        next = 0;
        size = 0;
    }
}
