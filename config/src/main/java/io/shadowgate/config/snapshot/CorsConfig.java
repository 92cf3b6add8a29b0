package io.shadowgate.config.snapshot;

import java.util.List;

/**
 * A compiled Istio {@code corsPolicy}, applied as Envoy's CORS filter does.
 *
 * @param allowOrigins       origin matchers ({@code allowOrigins}, or {@code allowOrigin} as exact matches)
 * @param allowMethods       comma-joined, or {@code null}
 * @param allowHeaders       comma-joined, or {@code null}
 * @param exposeHeaders      comma-joined, or {@code null}
 * @param maxAgeSeconds      whole seconds, or -1 when unset
 * @param allowCredentials   {@code null} when unset
 * @param forwardUnmatchedPreflights {@code unmatchedPreflights: FORWARD} (the default) or {@code IGNORE}
 */
public record CorsConfig(List<StringMatcher> allowOrigins, String allowMethods, String allowHeaders,
                         String exposeHeaders, long maxAgeSeconds, Boolean allowCredentials,
                         boolean forwardUnmatchedPreflights) {
    public CorsConfig {
        allowOrigins = List.copyOf(allowOrigins);
    }
}
