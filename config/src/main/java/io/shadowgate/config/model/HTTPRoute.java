package io.shadowgate.config.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * Istio {@code HTTPRoute}: match conditions and one action (forward, redirect, direct response or delegate).
 *
 * @param name             rule name (part of the Envoy route name)
 * @param match            OR'ed match blocks; absent means every request
 * @param route            weighted destinations (forward action)
 * @param redirect         redirect action
 * @param directResponse   direct-response action
 * @param delegate         the VirtualService whose rules replace this one
 * @param rewrite          path/authority rewrite
 * @param timeout          request timeout (duration string)
 * @param retries          retry policy
 * @param fault            fault injection
 * @param mirror           single mirror destination
 * @param mirrors          several mirror destinations, each with its own percentage
 * @param mirrorPercent    deprecated integer percentage for {@code mirror}; also accepted as {@code mirror_percent}
 * @param mirrorPercentage percentage of requests mirrored to {@code mirror} (absent: 100)
 * @param corsPolicy       CORS policy
 * @param headers          request/response header operations
 */
public record HTTPRoute(String name, List<HTTPMatchRequest> match, List<HTTPRouteDestination> route,
                        HTTPRedirect redirect, HTTPDirectResponse directResponse, Delegate delegate,
                        HTTPRewrite rewrite, String timeout, HTTPRetry retries, HTTPFaultInjection fault,
                        Destination mirror, List<HTTPMirrorPolicy> mirrors,
                        @JsonAlias("mirror_percent") @IstioDeprecated(use = "mirrorPercentage") Long mirrorPercent,
                        Percent mirrorPercentage, CorsPolicy corsPolicy, Headers headers) {

    /** A copy with {@code match} replaced (delegation merges match blocks). */
    public HTTPRoute withMatch(List<HTTPMatchRequest> newMatch) {
        return new HTTPRoute(name, newMatch, route, redirect, directResponse, delegate, rewrite, timeout, retries, fault,
                mirror, mirrors, mirrorPercent, mirrorPercentage, corsPolicy, headers);
    }
}
