package io.shadowgate.control;

/** What the controller does with a configuration whose check found errors. */
public enum ErrorPolicy {
    /**
     * Reject it: the version serving keeps serving (at start-up nothing starts). The default, as Kubernetes rejects
     * unknown fields and istiod rejects what its validation fails.
     */
    REJECT,
    /**
     * Apply it anyway when it still compiles ({@code --apply-with-errors}, like {@code istioctl install --force} or
     * {@code kubectl apply --validate=false}): errors the compiler can skip (unknown fields, a missing subset) are
     * logged as errors and recorded as {@link ConfigOutcome#APPLIED_WITH_ERRORS}. Still rejected: a configuration the
     * compiler cannot build at all, and one that lost resources while loading (an unreadable file, YAML that does not
     * parse, a value of the wrong type), which would otherwise go out of service silently.
     */
    APPLY
}
