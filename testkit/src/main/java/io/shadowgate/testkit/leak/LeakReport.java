package io.shadowgate.testkit.leak;

/**
 * One leak reported by Netty through {@link FailingLeakDetector}.
 *
 * <p>Threading: immutable, thread-safe. ByteBuf ownership: holds only Netty's textual access records, never the
 * leaked object (which is already garbage collected when the report is made).
 *
 * @param resourceType simple name of the leaked resource type (e.g. {@code ByteBuf})
 * @param records      Netty's access records ("Created at: …" stack traces), or empty for an untraced leak
 */
public record LeakReport(String resourceType, String records) {

    /** Whether Netty captured access records (it does at the {@code advanced} and {@code paranoid} levels). */
    public boolean traced() {
        return !records.isEmpty();
    }

    @Override
    public String toString() {
        return "LEAK of " + resourceType + (traced() ? ":" + records : " (untraced: raise -Dio.netty.leakDetection.level to see where)");
    }
}
