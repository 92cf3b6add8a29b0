package io.shadowgate.config.snapshot;

/** A compiled condition over a request. Implementations are immutable, allocation-free and linear-time (RE2). */
public interface RequestMatcher {

    /** Matches every request: a rule without {@code match}. */
    RequestMatcher ANY = new RequestMatcher() {
        @Override
        public boolean matches(RequestView request) {
            return true;
        }

        @Override
        public String describe() {
            return "any request";
        }
    };

    /** Whether the request satisfies this condition. */
    boolean matches(RequestView request);

    /** A human-readable form for {@code explain}: {@code uri prefix "/api" and header x-user exact "jason"}. */
    String describe();

    /**
     * Why {@code request} does not match: the first failing condition, in {@link #describe()} wording, or
     * {@code null} when it matches. Used by {@code explain}, never on the data path.
     */
    default String mismatch(RequestView request) {
        return matches(request) ? null : describe();
    }
}
