package io.shadowgate.proxy.runtime;

import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The snapshot every request reads once, at its start. A swap is one atomic reference write: a request sees either
 * the old snapshot or the new one, never a mix, and in-flight requests finish on the one they started with.
 */
public final class SnapshotHolder {

    private final AtomicReference<RoutingSnapshot> current;
    private final List<Consumer<RoutingSnapshot>> listeners = new CopyOnWriteArrayList<>();

    public SnapshotHolder(RoutingSnapshot initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The current snapshot. */
    public RoutingSnapshot get() {
        return current.get();
    }

    /** Makes {@code next} current and tells the listeners (on the caller's thread). Returns the previous one. */
    public RoutingSnapshot swap(RoutingSnapshot next) {
        RoutingSnapshot previous = current.getAndSet(Objects.requireNonNull(next, "next"));
        for (Consumer<RoutingSnapshot> l : listeners) {
            l.accept(next);
        }
        return previous;
    }

    /** Called after every swap with the new snapshot. */
    public void onSwap(Consumer<RoutingSnapshot> listener) {
        listeners.add(listener);
    }
}
