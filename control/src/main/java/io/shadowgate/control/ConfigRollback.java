package io.shadowgate.control;

/** Puts an earlier version back into service ({@code POST /rollback}, {@code shadowgate rollback}). Thread-safe. */
@FunctionalInterface
public interface ConfigRollback {

    /**
     * Rolls back.
     *
     * @param to {@code null} for one step (to the version that served before the one serving now), or the version
     *           to serve: its number ({@code 3} or {@code #3}) or its hash ({@code sha256:0123456789ab}, or a
     *           prefix of it)
     * @return what happened; nothing changes unless {@link RollbackResult#rolledBack()}
     */
    RollbackResult rollback(String to);
}
