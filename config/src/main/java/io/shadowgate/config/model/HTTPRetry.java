package io.shadowgate.config.model;

/**
 * Istio {@code HTTPRetry}.
 *
 * @param attempts                 number of retries; 0 disables retries
 * @param perTryTimeout            timeout per attempt
 * @param retryOn                  comma-separated Envoy retry policies and status codes
 * @param retryRemoteLocalities    retry in other localities
 * @param retryIgnorePreviousHosts avoid hosts already tried
 * @param backoff                  base back-off interval
 */
public record HTTPRetry(Integer attempts, String perTryTimeout, String retryOn, Boolean retryRemoteLocalities,
                        Boolean retryIgnorePreviousHosts, String backoff) {
}
