package io.shadowgate.config.model;

/**
 * Istio {@code HTTPRewrite}.
 *
 * @param uri             replaces the matched prefix (the whole path after an exact match)
 * @param authority       replaces the host
 * @param uriRegexRewrite regex rewrite of the path
 */
public record HTTPRewrite(String uri, String authority, RegexRewrite uriRegexRewrite) {
}
