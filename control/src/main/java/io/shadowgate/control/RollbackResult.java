package io.shadowgate.control;

import java.util.Objects;

/**
 * What a rollback did.
 *
 * @param status  rolled back, or why not
 * @param from    the version serving before, or {@code null}
 * @param to      the version serving now (the target when rolled back), or {@code null}
 * @param message a sentence for the operator
 */
public record RollbackResult(Status status, ConfigVersion from, ConfigVersion to, String message) {

    /** Rolled back, or why not. */
    public enum Status {
        /** The target version is serving now. */
        ROLLED_BACK,
        /** One step back was asked for, and the serving version is the first one kept: nothing to roll back to. */
        START_OF_HISTORY,
        /** The version asked for is not in the history (never existed, or no longer kept). */
        UNKNOWN_VERSION,
        /** The version asked for is the one serving. */
        ALREADY_SERVING,
        /** Nothing was ever applied. */
        NOT_STARTED
    }

    public RollbackResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /** Whether an earlier version is serving now. */
    public boolean rolledBack() {
        return status == Status.ROLLED_BACK;
    }
}
