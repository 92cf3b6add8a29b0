/**
 * Request matchers: the compiled form of Istio's {@code HTTPMatchRequest} and {@code StringMatch}, with Envoy's
 * exact semantics (path without query, full-match RE2, present/absent header and query matching, inverted
 * {@code withoutHeaders} that treat a missing header as empty).
 *
 * <p>Owns: {@link io.shadowgate.config.match.StringMatchers} and {@link io.shadowgate.config.match.RequestMatchers},
 * factories for the {@link io.shadowgate.config.snapshot.StringMatcher} and
 * {@link io.shadowgate.config.snapshot.RequestMatcher} implementations, and
 * {@link io.shadowgate.config.match.CompiledRegex}, an RE2 regex compiled once per snapshot. Every matcher runs per
 * request, so none allocates on the common paths: exact/prefix compare regions of the original strings, and a regex
 * that fits {@code SmallRegex}'s subset (literals, classes, {@code \d \w \s}, groups, alternation, bounded
 * repeats; at most 63 states) runs as a bit-parallel automaton over the path without its query, in linear time; other
 * regexes, and non-ASCII input, go to RE2/J (which allocates its matcher). Both give RE2's full-match answer. Each
 * matcher explains itself through {@code describe()} and {@code mismatch()} for {@code explain}.
 */
package io.shadowgate.config.match;
