package io.shadowgate.admin.spi;

/**
 * Restores the previous good config ({@code POST /rollback}). Called on the admin worker thread; may block while the
 * proxy swaps snapshots.
 */
@FunctionalInterface
public interface Rollback {

    /**
     * Rolls back one step.
     *
     * @return what happened; {@link Result#rolledBack()} {@code false} (answered 409) when there is nothing to roll
     *         back to
     */
    Result rollback();

    /**
     * The outcome of a rollback.
     *
     * @param rolledBack  whether a previous config is now serving
     * @param fromVersion the version that was serving before, or {@code null}
     * @param toVersion   the version serving now, or {@code null}
     * @param message     a sentence for the operator
     */
    record Result(boolean rolledBack, String fromVersion, String toVersion, String message) {

        /** Nothing to roll back to. */
        public static Result nothing(String currentVersion, String message) {
            return new Result(false, currentVersion, currentVersion, message);
        }
    }
}
