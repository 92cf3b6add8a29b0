package io.shadowgate.compare.diff;

/** Value cutting for examples. Static, thread-safe. */
public final class Values {

    private Values() {
    }

    /**
     * Cuts {@code s} to at most {@code max} characters, ending in {@code …} when cut, never splitting
     * a surrogate pair. {@code null} stays {@code null}.
     */
    public static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
