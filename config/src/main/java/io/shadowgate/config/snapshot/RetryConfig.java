package io.shadowgate.config.snapshot;

import java.time.Duration;
import java.util.Set;

/**
 * A compiled Istio {@code HTTPRetry}.
 *
 * @param attempts              retries after the first try; 0 disables retries
 * @param perTryTimeout         per-attempt timeout, {@link Duration#ZERO} for none
 * @param retryOn               Envoy retry policies ({@code 5xx}, {@code gateway-error}, {@code connect-failure}, …)
 * @param retriableStatusCodes  status codes from {@code retryOn} (enables {@code retriable-status-codes})
 * @param retryRemoteLocalities Istio {@code retryRemoteLocalities}
 * @param ignorePreviousHosts   whether a retry avoids hosts already tried
 * @param backoffBase           base interval of the exponential back-off (Envoy default 25 ms)
 */
public record RetryConfig(int attempts, Duration perTryTimeout, Set<String> retryOn, Set<Integer> retriableStatusCodes,
                          boolean retryRemoteLocalities, boolean ignorePreviousHosts, Duration backoffBase) {

    /** Istio's mesh default when a route sets no policy. */
    public static final RetryConfig ISTIO_DEFAULT = new RetryConfig(2, Duration.ZERO,
            Set.of("connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"),
            Set.of(), false, true, Duration.ofMillis(25));

    /** No retries ({@code attempts: 0}). */
    public static final RetryConfig NONE = new RetryConfig(0, Duration.ZERO, Set.of(), Set.of(), false, false,
            Duration.ofMillis(25));

    public RetryConfig {
        retryOn = Set.copyOf(retryOn);
        retriableStatusCodes = Set.copyOf(retriableStatusCodes);
    }
}
