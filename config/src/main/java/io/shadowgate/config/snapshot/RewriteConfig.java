package io.shadowgate.config.snapshot;

/**
 * Istio {@code rewrite}: at most one of the path rewrites, and an authority rewrite.
 *
 * @param prefix          {@code rewrite.uri}: replaces {@code matchedPrefix} (or the whole path after an exact match),
 *                        or {@code null}
 * @param matchedPrefix   the route's {@code uri.prefix}/{@code uri.exact} value that {@code prefix} replaces, or
 *                        {@code null} for a regex or absent uri match (then {@code "/"} is replaced)
 * @param regex           {@code uriRegexRewrite}: compiled RE2 pattern, or {@code null}
 * @param regexReplacement {@code uriRegexRewrite.rewrite} already converted from Istio's {@code \1} groups to
 *                        RE2/J's {@code $1}, or {@code null}
 * @param authority       {@code rewrite.authority}, or {@code null}
 */
public record RewriteConfig(String prefix, String matchedPrefix, com.google.re2j.Pattern regex,
                            String regexReplacement, String authority) {

    /**
     * The rewritten path with its query string kept, or {@code pathWithQuery} itself when nothing changes. Regex
     * rewrites apply to the path without the query (Envoy's {@code regex_rewrite}).
     */
    public String rewritePath(String pathWithQuery) {
        int q = pathWithQuery.indexOf('?');
        String path = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
        String query = q < 0 ? "" : pathWithQuery.substring(q);
        if (prefix != null) {
            String from = matchedPrefix == null ? "/" : matchedPrefix;
            if (path.regionMatches(true, 0, from, 0, from.length())) {
                return prefix + path.substring(from.length()) + query;
            }
            return pathWithQuery;
        }
        if (regex != null) {
            // Envoy's regex_rewrite substitutes every match; RE2/J uses $1 for groups, Istio YAML uses \1.
            return regex.matcher(path).replaceAll(regexReplacement) + query;
        }
        return pathWithQuery;
    }

    /** Whether the path changes (so {@code x-envoy-original-path} must be set). */
    public boolean rewritesPath() {
        return prefix != null || regex != null;
    }
}
