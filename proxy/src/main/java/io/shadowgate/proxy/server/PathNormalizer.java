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
        if (path.indexOf("/.") < 0) {
            return pathWithQuery;
        }
        String[] segments = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
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
}
