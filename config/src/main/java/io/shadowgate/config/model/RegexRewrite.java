package io.shadowgate.config.model;

/**
 * Istio {@code RegexRewrite}.
 *
 * @param match   RE2 pattern
 * @param rewrite replacement; {@code \1} refers to capture groups
 */
public record RegexRewrite(String match, String rewrite) {
}
