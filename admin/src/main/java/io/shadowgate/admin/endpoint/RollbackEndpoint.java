package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.control.ConfigRollback;
import io.shadowgate.control.ConfigVersion;
import io.shadowgate.control.RollbackResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /rollback}: one version back (to the one that served before the one serving now), or
 * {@code ?to=VERSION} (a number from {@code /config}, or a version hash). 200 when rolled back; 409 at the start of
 * the history, when the version asked for is already serving, or before any config; 404 for a version not kept.
 */
public final class RollbackEndpoint implements AdminEndpoint {

    private final ConfigRollback rollback;

    public RollbackEndpoint(ConfigRollback rollback) {
        this.rollback = rollback;
    }

    @Override
    public Set<String> methods() {
        return POST;
    }

    @Override
    public String description() {
        return "go back one config version, or ?to=NUMBER|HASH (409 at the start of the history)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        RollbackResult r = rollback.rollback(request.param("to"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rolled_back", r.rolledBack());
        out.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        out.put("from_version", version(r.from()));
        out.put("from_number", r.from() == null ? null : r.from().number());
        out.put("to_version", version(r.to()));
        out.put("to_number", r.to() == null ? null : r.to().number());
        out.put("message", r.message());
        int status = switch (r.status()) {
            case ROLLED_BACK -> 200;
            case UNKNOWN_VERSION -> 404;
            case START_OF_HISTORY, ALREADY_SERVING, NOT_STARTED -> 409;
        };
        return AdminResponse.json(status, out);
    }

    private static String version(ConfigVersion v) {
        return v == null ? null : v.version();
    }
}
