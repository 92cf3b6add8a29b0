/**
 * Request matchers: the compiled form of Istio's {@code HTTPMatchRequest} and {@code StringMatch}, with Envoy's
 * exact semantics (path without query, full-match RE2, present/absent header and query matching, inverted
 * {@code withoutHeaders} that treat a missing header as empty).
 *
 * <p>Owns: {@link io.shadowgate.config.match.StringMatchers} and {@link io.shadowgate.config.match.RequestMatchers},
 * factories for the {@link io.shadowgate.config.snapshot.StringMatcher} and
 * {@link io.shadowgate.config.snapshot.RequestMatcher} implementations. Every matcher runs per request, so none
 * allocates on the literal paths (exact/prefix compare regions of the original strings; only regex matching
 * allocates RE2/J's matcher), and each explains itself through {@code describe()} and {@code mismatch()} for
 * {@code explain}.
 */
package io.shadowgate.config.match;
