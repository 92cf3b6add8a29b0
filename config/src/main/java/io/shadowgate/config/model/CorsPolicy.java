package io.shadowgate.config.model;

import java.util.List;

/**
 * Istio {@code CorsPolicy}.
 *
 * @param allowOrigins        origin matches
 * @param allowOrigin         deprecated exact origins
 * @param allowMethods        allowed methods
 * @param allowHeaders        allowed request headers
 * @param exposeHeaders       exposed response headers
 * @param maxAge              preflight cache duration
 * @param allowCredentials    whether credentials are allowed
 * @param unmatchedPreflights {@code FORWARD} (default) or {@code IGNORE}
 */
public record CorsPolicy(List<StringMatch> allowOrigins,
                         @IstioDeprecated(use = "allowOrigins") List<String> allowOrigin,
                         List<String> allowMethods, List<String> allowHeaders, List<String> exposeHeaders,
                         String maxAge, Boolean allowCredentials, String unmatchedPreflights) {
}
