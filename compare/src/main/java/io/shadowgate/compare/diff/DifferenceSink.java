package io.shadowgate.compare.diff;

import java.util.ArrayList;
import java.util.List;

/** Collects the differences of one exchange up to a bound. Confined to one comparing thread. */
final class DifferenceSink {

    private final List<Difference> differences = new ArrayList<>();
    private final int max;
    private final int maxValueLength;
    private boolean truncated;

    DifferenceSink(int max, int maxValueLength) {
        this.max = max;
        this.maxValueLength = maxValueLength;
    }

    boolean full() {
        return differences.size() >= max;
    }

    void add(String path, String concretePath, DiffKind kind, String detail, String primaryValue, String mirrorValue) {
        if (full()) {
            truncated = true;
            return;
        }
        differences.add(new Difference(path, concretePath, kind, detail,
                Values.truncate(primaryValue, maxValueLength), Values.truncate(mirrorValue, maxValueLength)));
    }

    int maxValueLength() {
        return maxValueLength;
    }

    List<Difference> differences() {
        return differences;
    }

    boolean truncated() {
        return truncated;
    }
}
