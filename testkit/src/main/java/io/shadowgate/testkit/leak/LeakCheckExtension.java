package io.shadowgate.testkit.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension failing a test class whose code leaked a Netty reference-counted object.
 *
 * <p>Registered automatically (service file + {@code junit.jupiter.extensions.autodetection.enabled=true} in the parent
 * pom) for every test class of every module that has the testkit on its test classpath; it can also be used with
 * {@code @ExtendWith(LeakCheckExtension.class)}.
 *
 * <p>Before all tests of a top-level class it clears {@link FailingLeakDetector#reports()}; after all tests it runs
 * {@link #collectLeaks()} and throws an {@link AssertionError} listing every report. The leak check depends on
 * {@link FailingLeakDetector} being installed; without it leaks are only logged by Netty.
 *
 * <p>Threading: stateless; the static methods may be called from any thread. ByteBuf ownership: the probe buffers it
 * allocates to make Netty poll its reference queues are released immediately.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    /** Garbage-collection rounds per check; with {@link #ROUND_WAIT_MS} bounds the check to well under a second. */
    private static final int GC_ROUNDS = 3;
    private static final long ROUND_WAIT_MS = 200;

    @Override
    public void beforeAll(ExtensionContext context) {
        // A @Nested class starts while its outer class is still running; clearing then would hide the outer class's leaks.
        if (!context.getRequiredTestClass().isAnnotationPresent(Nested.class)) {
            FailingLeakDetector.clearReports();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        verifyNoLeaks(context.getRequiredTestClass().getName());
    }

    /**
     * Collects leaks (see {@link #collectLeaks()}) and throws if there are any, clearing them so the failure is
     * attributed to one class only.
     *
     * @param where name used in the failure message
     * @throws AssertionError if Netty reported at least one leak
     */
    public static void verifyNoLeaks(String where) {
        List<LeakReport> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            FailingLeakDetector.clearReports();
            throw new AssertionError(leaks.size() + " Netty resource leak(s) reported during " + where + ":\n"
                    + leaks.stream().map(LeakReport::toString).collect(Collectors.joining("\n\n")));
        }
    }

    /**
     * Makes pending leaks visible and returns all reports so far (without clearing them): up to three
     * rounds of {@code System.gc()}, each waiting (bounded) until a sentinel weak reference has been enqueued — proof
     * that the collector ran and reference processing caught up — then allocating and releasing pooled and unpooled
     * buffers, because Netty only drains its leak reference queue when it tracks a new allocation.
     */
    public static List<LeakReport> collectLeaks() {
        for (int round = 0; round < GC_ROUNDS; round++) {
            awaitGc();
            pollNettyQueues();
            if (!FailingLeakDetector.reports().isEmpty()) {
                break;
            }
        }
        return FailingLeakDetector.reports();
    }

    private static void awaitGc() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(ROUND_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }

    private static void pollNettyQueues() {
        // At PARANOID every allocation polls; at lower levels only a sampled one does (1 in 128 by default).
        int allocations = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID ? 1 : 512;
        for (int i = 0; i < allocations; i++) {
            release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
            release(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
            release(UnpooledByteBufAllocator.DEFAULT.directBuffer(16));
            release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(16));
            release(ByteBufAllocator.DEFAULT.buffer(16));
        }
    }

    private static void release(ByteBuf buf) {
        buf.release();
    }
}
