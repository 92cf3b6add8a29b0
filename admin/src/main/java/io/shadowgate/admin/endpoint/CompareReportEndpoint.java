package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.admin.spi.CompareEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** {@code GET /compare}: the comparison report (v2 against v1) as JSON. */
public final class CompareReportEndpoint implements AdminEndpoint {

    private final CompareEndpoint compare;

    public CompareReportEndpoint(CompareEndpoint compare) {
        this.compare = compare;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "comparison report of mirrored responses against primary ones (JSON; ?format=text for a table)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        if ("text".equals(request.param("format"))) {
            String text = compare.reportText();
            if (text != null) {
                return AdminResponse.text(200, text);
            }
        }
        Object report = compare.report();
        if (report == null) {
            return AdminResponse.json(200, Map.of());
        }
        if (report instanceof CharSequence json) {
            return new AdminResponse(200, AdminResponse.JSON, json.toString().getBytes(StandardCharsets.UTF_8),
                    Map.of());
        }
        return AdminResponse.json(200, report);
    }
}
