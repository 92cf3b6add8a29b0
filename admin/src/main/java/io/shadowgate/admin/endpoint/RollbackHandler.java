package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.admin.spi.Rollback;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code POST /rollback}: restores the previous good config; 409 when there is nothing to roll back to. */
public final class RollbackHandler implements AdminEndpoint {

    private final Rollback rollback;

    public RollbackHandler(Rollback rollback) {
        this.rollback = rollback;
    }

    @Override
    public Set<String> methods() {
        return POST;
    }

    @Override
    public String description() {
        return "restore the previous good config (409 when there is none)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        Rollback.Result r = rollback.rollback();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rolled_back", r.rolledBack());
        out.put("from_version", r.fromVersion());
        out.put("to_version", r.toVersion());
        out.put("message", r.message());
        return AdminResponse.json(r.rolledBack() ? 200 : 409, out);
    }
}
