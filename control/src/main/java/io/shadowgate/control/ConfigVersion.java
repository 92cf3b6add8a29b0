package io.shadowgate.control;

import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One applied version, as the history keeps it.
 *
 * @param number    1 for the first version applied since start-up, then 2, 3, ...: what {@code rollback --to}
 *                  takes; a rollback re-serves an existing number and makes none
 * @param version   the snapshot's content hash ({@code sha256:} + 12 hex digits): equal hashes mean equal resources
 * @param appliedAt when it was first applied
 * @param sources   where its resources were read from (files, {@code built-in demo config}, API objects)
 * @param parent    the number of the version serving before it was applied (what a rollback from it goes back to),
 *                  or {@code null} for the first
 * @param outcome   {@link ConfigOutcome#APPLIED} or {@link ConfigOutcome#APPLIED_WITH_ERRORS}
 * @param changes   resources added, removed and modified against {@code parent}
 * @param snapshot  the compiled snapshot, published again by a rollback to this version
 */
public record ConfigVersion(int number, String version, Instant appliedAt, List<String> sources, Integer parent,
                            ConfigOutcome outcome, List<ResourceChange> changes, RoutingSnapshot snapshot) {

    public ConfigVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(snapshot, "snapshot");
        sources = List.copyOf(sources);
        changes = List.copyOf(changes);
    }

    /** {@code #3 (sha256:0123456789ab)}. */
    public String label() {
        return "#" + number + " (" + version + ")";
    }
}
