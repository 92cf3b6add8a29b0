package io.shadowgate.config.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Istio {@code HTTPFaultInjection}.
 *
 * @param delay delay injection
 * @param abort abort injection
 */
public record HTTPFaultInjection(Delay delay, Abort abort) {

    /**
     * Istio {@code HTTPFaultInjection.Delay}.
     *
     * @param fixedDelay       the delay
     * @param exponentialDelay not supported by Istio either (rejected)
     * @param percentage       share of requests delayed (unset: none)
     * @param percent          deprecated integer share, used only when {@code percentage} is unset
     */
    public record Delay(String fixedDelay, String exponentialDelay, Percent percentage,
                        @IstioDeprecated(use = "percentage") Integer percent) {
    }

    /**
     * Istio {@code HTTPFaultInjection.Abort}.
     *
     * @param httpStatus HTTP status to answer
     * @param grpcStatus gRPC status name ({@code UNAVAILABLE})
     * @param http2Error not supported by Istio (rejected)
     * @param percentage share of requests aborted (unset: none)
     */
    public record Abort(Integer httpStatus, String grpcStatus, JsonNode http2Error, Percent percentage) {
    }
}
