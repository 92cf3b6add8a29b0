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
     * A literal that the path (without query) of every request this condition accepts starts with, at least when
     * compared ignoring ASCII case; {@code ""} when nothing is known. {@link RouteTable} files each route under it and
     * only evaluates the routes whose prefix the request path starts with, so it must hold for every accepted request:
     * a matcher that accepts a path not starting with it would lose that request to a later route.
     */
    default String requiredPathPrefix() {
        return "";
    }

    /**
     * Why {@code request} does not match: the first failing condition, in {@link #describe()} wording, or
     * {@code null} when it matches. Used by {@code explain}, never on the data path.
     */
    default String mismatch(RequestView request) {
        return matches(request) ? null : describe();
    }
}
