package io.shadowgate.compare.diff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the differences of one exchange up to a bound, and which of the watched locations were
 * present on both sides. Confined to one comparing thread.
 */
final class DifferenceSink {

    private final List<Difference> differences = new ArrayList<>();
    private final int max;
    private final int maxValueLength;
    private final Set<String> watched;
    private final Set<String> observed = new HashSet<>();
    private final Set<String> unordered;
    private boolean truncated;

    DifferenceSink(int max, int maxValueLength) {
        this(max, maxValueLength, Set.of());
    }

    /**
     * @param watched grouping paths (locations) whose presence on both sides should be reported; read
     *                only, may be a concurrent view
     */
    DifferenceSink(int max, int maxValueLength, Set<String> watched) {
        this(max, maxValueLength, watched, Set.of());
    }

    /**
     * @param unordered grouping paths of arrays to compare as multisets (the primary's version returns them in
     *                  varying order); read only, may be a concurrent view
     */
    DifferenceSink(int max, int maxValueLength, Set<String> watched, Set<String> unordered) {
        this.max = max;
        this.maxValueLength = maxValueLength;
        this.watched = watched;
        this.unordered = unordered;
    }

    /** Grouping paths of arrays compared as multisets. */
    Set<String> unordered() {
        return unordered;
    }

    /** Whether some location is watched at all (when not, callers skip the bookkeeping). */
    boolean watching() {
        return !watched.isEmpty();
    }

    /** The watched locations. */
    Set<String> watched() {
        return watched;
    }

    /** Notes that a location was present on both sides (equal or not), if it is watched. */
    void observe(String path) {
        if (watched.contains(path)) {
            observed.add(path);
        }
    }

    /** The watched locations present on both sides so far. */
    Set<String> observed() {
        return observed;
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
