package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.admin.spi.CompareEndpoint;
import java.util.Map;
import java.util.Set;

/** {@code POST /compare/reset}: forgets every comparison so far. */
public final class CompareResetEndpoint implements AdminEndpoint {

    private final CompareEndpoint compare;

    public CompareResetEndpoint(CompareEndpoint compare) {
        this.compare = compare;
    }

    @Override
    public Set<String> methods() {
        return POST;
    }

    @Override
    public String description() {
        return "reset the comparison report";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        compare.reset();
        return AdminResponse.json(200, Map.of("reset", true));
    }
}
