package io.shadowgate.compare.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowgate.compare.Fixtures.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void burstOfOneSecondThenSteadyRate() {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
        RateLimiter limiter = new RateLimiter(clock, 100);
        int admitted = 0;
        for (int i = 0; i < 500; i++) {
            admitted += limiter.tryAcquire() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(100);
        clock.advance(Duration.ofMillis(50));
        admitted = 0;
        for (int i = 0; i < 500; i++) {
            admitted += limiter.tryAcquire() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void rejectsNonPositiveRate() {
        assertThatThrownBy(() -> new RateLimiter(java.time.Clock.systemUTC(), 0)).hasMessageContaining("got 0");
    }
}
