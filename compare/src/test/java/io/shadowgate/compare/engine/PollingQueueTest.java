package io.shadowgate.compare.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PollingQueueTest {

    @Test
    void boundedFirstInFirstOut() {
        PollingQueue<String> q = new PollingQueue<>(2);
        assertThat(q.offer("a")).isTrue();
        assertThat(q.offer("b")).isTrue();
        assertThat(q.offer("c")).isFalse();
        assertThat(q.poll()).isEqualTo("a");
        assertThat(q.offer("d")).isTrue();
        assertThat(q.poll()).isEqualTo("b");
        assertThat(q.poll()).isEqualTo("d");
        assertThat(q.poll()).isNull();
        assertThat(q.offer("e")).isTrue();
        assertThat(q.offer("f")).isTrue();
        assertThat(q.offer("g")).isFalse();
    }

    @Test
    void anInterruptEndsTheBackOffAndIsCleared() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        PollingQueue.backOff(PollingQueue.IDLE_AFTER_EMPTY_POLLS);
        // The idle park is 50 ms; an interrupted thread does not park at all (bound kept loose for loaded machines).
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
