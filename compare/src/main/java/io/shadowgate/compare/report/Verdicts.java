package io.shadowgate.compare.report;

/**
 * Version labels of verdict wording. Static, thread-safe. The verdict rules themselves are in
 * {@code io.shadowgate.compare.verdict.Judge}.
 */
public final class Verdicts {

    private Verdicts() {
    }

    /** The label, or the fallback when the proxy did not know the version. */
    public static String label(String version, String fallback) {
        return version == null || version.isBlank() ? fallback : version;
    }
}
