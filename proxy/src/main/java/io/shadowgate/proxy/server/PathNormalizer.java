package io.shadowgate.proxy.server;

/**
 * RFC 3986 §5.2.4 dot-segment removal on the path (the query is kept as is), as Istio's default
 * {@code normalize_path: true} makes Envoy do before routing and forwarding. {@code /a/./b/../c} → {@code /a/c}.
 */
final class PathNormalizer {

    private PathNormalizer() {
    }

    static String normalize(String pathWithQuery) {
        int q = pathWithQuery.indexOf('?');
        String path = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
        if (path.indexOf("/.") < 0 && !containsEncodedDot(path)) {
            return pathWithQuery;
        }
        String[] segments = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (int i = 1; i < segments.length; i++) {
            String seg = dotSegment(segments[i]);
            boolean lastSegment = i == segments.length - 1;
            if (seg.equals(".")) {
                if (lastSegment) {
                    out.addLast("");
                }
            } else if (seg.equals("..")) {
                out.pollLast();
                if (lastSegment) {
                    out.addLast("");
                }
            } else {
                out.addLast(seg);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String seg : out) {
            sb.append('/').append(seg);
        }
        if (sb.length() == 0) {
            sb.append('/');
        }
        return q < 0 ? sb.toString() : sb.append(pathWithQuery, q, pathWithQuery.length()).toString();
    }

    /**
     * {@code "."} or {@code ".."} when {@code seg} is a dot segment, an escaped dot ({@code %2e}, {@code %2E})
     * counting as a dot, as in the Chromium URL canonicalizer Envoy uses ({@code /a/b/%2E%2E/c} → {@code /a/c});
     * otherwise {@code seg} itself, unchanged.
     */
    private static String dotSegment(String seg) {
        if (seg.length() < 3 || seg.length() > 6 || seg.indexOf('%') < 0) {
            return seg;
        }
        String d = seg.replace("%2e", ".").replace("%2E", ".");
        return d.equals(".") || d.equals("..") ? d : seg;
    }

    private static boolean containsEncodedDot(String path) {
        return path.contains("%2e") || path.contains("%2E");
    }
}
