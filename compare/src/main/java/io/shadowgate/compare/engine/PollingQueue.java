package io.shadowgate.compare.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded multi-producer queue whose consumers poll instead of being woken.
 *
 * <p>Why not a blocking queue: handing an item to a sleeping consumer through one costs the producer a futex wake-up
 * and the consumer a context switch per item. The producers are the proxy's event loops and there is one item per
 * mirrored request, so that was ~5% of an event loop's samples plus ~7% of the process in context switches under
 * 100% mirroring (docs/performance.md, F5). Comparing is not urgent: consumers drain whatever is there, then park
 * for {@link #BUSY_PARK_NANOS} while work keeps arriving and for {@link #IDLE_PARK_NANOS} once the queue has stayed
 * empty for {@link #IDLE_AFTER_EMPTY_POLLS} polls, so an idle engine wakes 20 times a second and a busy one picks up
 * work within a millisecond.
 */
final class PollingQueue<T> {

    static final long BUSY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final int IDLE_AFTER_EMPTY_POLLS = 100;

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    PollingQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds {@code item} unless {@code capacity} items are already queued; never blocks, never wakes a consumer. */
    boolean offer(T item) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        items.add(item);
        return true;
    }

    /** The oldest item, or {@code null} when empty. */
    T poll() {
        T item = items.poll();
        if (item != null) {
            size.decrementAndGet();
        }
        return item;
    }

    /**
     * For a consumer that found the queue empty {@code emptyPolls} times in a row: parks for the back-off. Returns
     * early when the thread is interrupted (the interrupt is cleared; callers check their own stop flag).
     */
    static void backOff(int emptyPolls) {
        LockSupport.parkNanos(emptyPolls < IDLE_AFTER_EMPTY_POLLS ? BUSY_PARK_NANOS : IDLE_PARK_NANOS);
        Thread.interrupted();
    }
}
