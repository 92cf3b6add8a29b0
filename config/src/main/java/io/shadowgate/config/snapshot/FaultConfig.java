package io.shadowgate.config.snapshot;

import java.time.Duration;

/**
 * A compiled Istio {@code fault}. Percentages are per million, truncated as Istio truncates; 0 when unset
 * (Istio: an unset percentage affects no request).
 *
 * @param delay            {@code delay.fixedDelay}, or {@code null}
 * @param delayPerMillion  share of requests delayed
 * @param abortHttpStatus  {@code abort.httpStatus}, or 0
 * @param abortGrpcStatus  {@code abort.grpcStatus} name ({@code UNAVAILABLE}), or {@code null}
 * @param abortPerMillion  share of requests aborted
 */
public record FaultConfig(Duration delay, int delayPerMillion, int abortHttpStatus, String abortGrpcStatus,
                          int abortPerMillion) {
}
