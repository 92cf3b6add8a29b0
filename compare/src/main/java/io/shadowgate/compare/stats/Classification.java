package io.shadowgate.compare.stats;

import io.shadowgate.compare.diff.Finding;
import io.shadowgate.compare.diff.Outcome;
import io.shadowgate.compare.group.GroupKey;
import java.util.List;

/**
 * How one exchange was counted. Immutable.
 *
 * @param group      the group it was counted in ({@link GroupKey#OTHER} when folded)
 * @param outcome    identical, different, noise-only or skipped
 * @param findings   its differences with their noise status at that moment
 * @param skipReason why it was skipped, or {@code null}
 */
public record Classification(GroupKey group, Outcome outcome, List<Finding> findings, SkipReason skipReason) {

    /** Copies the findings. */
    public Classification {
        findings = List.copyOf(findings);
    }
}
