package io.shadowgate.control;

/** What happened to a configuration change or rollback. */
public enum ConfigOutcome {
    /** Checked, compiled and published as a new numbered version. */
    APPLIED,
    /**
     * Published although the check found errors, because the gateway runs with {@code --apply-with-errors}
     * ({@link ErrorPolicy#APPLY}); logged as an error every time.
     */
    APPLIED_WITH_ERRORS,
    /** The check found errors (or a source could not be loaded); the version serving before keeps serving. */
    REJECTED,
    /**
     * A source's content changed, but it compiles to the version serving now (comments, formatting, or the files
     * brought back to the rolled-back version): nothing was published.
     */
    UNCHANGED,
    /** An earlier version was published again by a rollback; it stays until a source's content changes. */
    ROLLED_BACK
}
