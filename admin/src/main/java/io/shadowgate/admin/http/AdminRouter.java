package io.shadowgate.admin.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-path routing: unknown path 404, known path with another method 405 (with {@code Allow}). A trailing slash
 * is ignored ({@code /clusters/} is {@code /clusters}). A path registered as {@code /ui/*} serves {@code /ui} and
 * everything below it (the longest such prefix wins; exact paths first). Every request passes the
 * {@link BrowserRequestGuard} first. Registration happens before the server starts; lookups are then read-only and
 * thread-safe.
 */
public final class AdminRouter {

    private static final Logger log = LoggerFactory.getLogger(AdminRouter.class);

    private final Map<String, AdminEndpoint> endpoints = new LinkedHashMap<>();
    private BrowserRequestGuard guard = new BrowserRequestGuard(java.util.Set.of());

    /** Replaces the guard (to trust the host name the admin listener is reached under). Returns {@code this}. */
    public AdminRouter guard(BrowserRequestGuard browserGuard) {
        this.guard = Objects.requireNonNull(browserGuard, "browserGuard");
        return this;
    }

    /** Registers {@code endpoint} at {@code path} (replacing any earlier one). Returns {@code this}. */
    public AdminRouter register(String path, AdminEndpoint endpoint) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
        }
        endpoints.put(path, Objects.requireNonNull(endpoint, "endpoint"));
        return this;
    }

    /** Paths and endpoints in registration order. */
    public Map<String, AdminEndpoint> endpoints() {
        return Collections.unmodifiableMap(endpoints);
    }

    /** The response for {@code request}. Never throws. */
    public AdminResponse route(AdminRequest request) {
        String path = request.path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        AdminResponse refused = guard.check(request);
        if (refused != null) {
            return refused;
        }
        AdminEndpoint e = endpoints.get(path);
        if (e == null) {
            e = endpoints.get(treeOf(path));
        }
        if (e == null) {
            return AdminResponse.text(404, "404 Not Found: " + request.path() + " (see / for the list of endpoints)\n");
        }
        if (!e.methods().contains(request.method())) {
            String allow = String.join(", ", new TreeSet<>(e.methods()));
            return AdminResponse.text(405, "405 Method Not Allowed: " + request.method() + " " + path
                    + " (allowed: " + allow + ")\n").withHeader("allow", allow);
        }
        try {
            return e.handle(request);
        } catch (Exception ex) {
            log.warn("admin {} {} failed", request.method(), path, ex);
            return AdminResponse.text(500, "500 Internal Server Error: " + ex + "\n");
        }
    }

    /** The longest registered {@code <prefix>/*} covering {@code path}, as its key, or {@code null}. */
    private String treeOf(String path) {
        String best = null;
        for (String key : endpoints.keySet()) {
            if (key.endsWith("/*")) {
                String prefix = key.substring(0, key.length() - 2);
                if ((path.equals(prefix) || path.startsWith(prefix + "/"))
                        && (best == null || key.length() > best.length())) {
                    best = key;
                }
            }
        }
        return best;
    }
}
