package io.shadowgate.admin.ui;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /ui/*}: the dashboard's files, read once from this jar. Each answer has its content type, a strong
 * {@code ETag} (a conditional request with a matching {@code If-None-Match} gets 304) and {@code Cache-Control:
 * no-cache}, so a browser revalidates and never runs an older page against a newer gateway. The content security
 * policy allows only this origin: no CDN, no inline script, no framing (the page has buttons that change state).
 */
public final class DashboardAssets implements AdminEndpoint {

    /** The files, under {@code io/shadowgate/admin/ui/assets/} in the jar; the first one answers {@code /ui/}. */
    public static final List<String> FILES = List.of("index.html", "app.js", "app.css", "favicon.svg");

    /** The policy sent with every file. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String RESOURCE_DIR = "assets/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=UTF-8",
            "js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private record Asset(String contentType, byte[] bytes, String etag) {
    }

    private final Map<String, Asset> assets;

    private DashboardAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Reads {@link #FILES} from the class path; a missing one is a packaging error. */
    public static DashboardAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = DashboardAssets.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard asset " + RESOURCE_DIR + name
                            + " is missing from the admin jar");
                }
                byte[] bytes = in.readAllBytes();
                String ext = name.substring(name.lastIndexOf('.') + 1);
                String type = TYPES.get(ext);
                if (type == null) {
                    throw new IllegalStateException("dashboard asset " + name + ": no content type for ." + ext);
                }
                assets.put(name, new Asset(type, bytes, etag(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dashboard asset " + name, e);
            }
        }
        return new DashboardAssets(Map.copyOf(assets));
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "the web dashboard: routes, versions, mirror outcomes, verdicts, example pairs, rollback";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        String path = request.path();
        if (path.equals("/ui")) {
            // Relative links in the page resolve against /ui/, not against /.
            return AdminResponse.text(301, "see /ui/\n").withHeader("location", "/ui/");
        }
        String name = path.substring("/ui/".length());
        Asset asset = assets.get(name.isEmpty() ? FILES.get(0) : name);
        if (asset == null) {
            return AdminResponse.text(404, "404 Not Found: " + path + " (the dashboard is at /ui/)\n");
        }
        Map<String, String> headers = Map.of(
                "etag", asset.etag,
                "cache-control", "no-cache",
                "content-security-policy", CONTENT_SECURITY_POLICY,
                "x-frame-options", "DENY",
                "referrer-policy", "no-referrer");
        String ifNoneMatch = request.header("if-none-match");
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag)) {
            return new AdminResponse(304, asset.contentType, new byte[0], headers);
        }
        return new AdminResponse(200, asset.contentType, asset.bytes, headers);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(d, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
