package io.shadowgate.config.model;

/**
 * Istio {@code StringMatch}: a oneof of {@code exact}, {@code prefix} and RE2 {@code regex} (full match). All three
 * unset ({@code {}}) means "present" where Istio allows it (headers, query parameters).
 *
 * @param exact  exact value
 * @param prefix prefix
 * @param regex  RE2 regular expression matched against the whole value
 */
public record StringMatch(String exact, String prefix, String regex) {

    /** Whether no match type is set. */
    public boolean isEmpty() {
        return exact == null && prefix == null && regex == null;
    }

    /** {@code exact "v"}, {@code prefix "v"}, {@code regex "v"} or {@code present}. */
    @Override
    public String toString() {
        if (exact != null) {
            return "exact \"" + exact + "\"";
        }
        if (prefix != null) {
            return "prefix \"" + prefix + "\"";
        }
        if (regex != null) {
            return "regex \"" + regex + "\"";
        }
        return "present";
    }
}
