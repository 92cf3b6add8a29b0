package io.shadowgate.config.model;

import java.util.List;
import java.util.Map;

/**
 * Istio {@code HTTPMatchRequest}: conditions AND'ed together.
 *
 * @param name            match name (part of the Envoy route name)
 * @param uri             path match ({@code exact}, {@code prefix} or {@code regex}) on the path without query
 * @param scheme          {@code :scheme} match
 * @param method          {@code :method} match
 * @param authority       {@code :authority} match
 * @param headers         header matches; {@code {}} or {@code regex: "*"} means "present"
 * @param withoutHeaders  inverted header matches
 * @param queryParams     query parameter matches
 * @param ignoreUriCase   case-insensitive {@code exact}/{@code prefix} uri matching
 * @param port            only for this listener port (applied when compiling, not per request)
 * @param sourceLabels    only for clients with these labels (applied when compiling)
 * @param gateways        only on these gateways (applied when compiling)
 * @param sourceNamespace only for clients in this namespace (applied when compiling)
 * @param statPrefix      Envoy route stat prefix
 */
public record HTTPMatchRequest(String name, StringMatch uri, StringMatch scheme, StringMatch method,
                               StringMatch authority, Map<String, StringMatch> headers,
                               Map<String, StringMatch> withoutHeaders, Map<String, StringMatch> queryParams,
                               Boolean ignoreUriCase, Long port, Map<String, String> sourceLabels,
                               List<String> gateways, String sourceNamespace, String statPrefix) {
}
