package io.shadowgate.config.snapshot;

/** A compiled Istio {@code StringMatch} ({@code exact}, {@code prefix} or RE2 {@code regex}, full match). */
public interface StringMatcher {

    /** Whether {@code value} (never {@code null}) matches. */
    boolean matches(String value);

    /** {@code exact "a"}, {@code prefix "/api"}, {@code regex "v[0-9]+"}. */
    String describe();
}
