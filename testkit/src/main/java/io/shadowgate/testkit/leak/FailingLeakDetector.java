package io.shadowgate.testkit.leak;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ResourceLeakDetector} that, besides logging, stores every leak report in a static list so that
 * {@link LeakCheckExtension} can fail the test class that leaked.
 *
 * <p>Netty creates it reflectively when {@code -Dio.netty.customResourceLeakDetector} names this class:
 * {@code ResourceLeakDetectorFactory.DefaultResourceLeakDetectorFactory} (Netty 4.2) first looks for a public
 * {@code (Class, int, long)} constructor (the obsolete form, still tried first) and then for {@code (Class, int)};
 * both are provided.
 *
 * <p>Threading: detectors are shared by all threads that allocate the tracked type; the report list is a
 * {@link CopyOnWriteArrayList}, cheap because reports are rare. The static accessors are thread-safe.
 * ByteBuf ownership: the detector never holds the tracked objects (Netty tracks them through weak references); it
 * only keeps the textual reports.
 *
 * @param <T> the tracked resource type
 */
public class FailingLeakDetector<T> extends ResourceLeakDetector<T> {

    private static final List<LeakReport> REPORTS = new CopyOnWriteArrayList<>();

    /** The constructor Netty's factory prefers ({@code maxActive} has been ignored by Netty itself for years). */
    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** Snapshot of all leaks reported since the last {@link #clearReports()}. */
    public static List<LeakReport> reports() {
        return List.copyOf(REPORTS);
    }

    /** Forgets all reports (the detector still never reports the same leak record twice, as Netty de-duplicates). */
    public static void clearReports() {
        REPORTS.clear();
    }

    /**
     * Always report: the base class only reports when its logger has ERROR enabled, and a module with a quiet logging
     * configuration must not silently lose its leak failures.
     */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        REPORTS.add(new LeakReport(resourceType, records));
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        REPORTS.add(new LeakReport(resourceType, ""));
        super.reportUntracedLeak(resourceType);
    }
}
