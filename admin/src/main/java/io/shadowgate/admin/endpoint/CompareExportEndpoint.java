package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.admin.spi.CompareEndpoint;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** {@code GET /compare/export}: every kept difference as JSON lines ({@code application/x-ndjson}). */
public final class CompareExportEndpoint implements AdminEndpoint {

    /** The content type of JSON lines. */
    public static final String CONTENT_TYPE = "application/x-ndjson";

    private final CompareEndpoint compare;

    public CompareExportEndpoint(CompareEndpoint compare) {
        this.compare = compare;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "kept differences as JSON lines";
    }

    @Override
    public AdminResponse handle(AdminRequest request) throws IOException {
        StringWriter out = new StringWriter();
        compare.exportJsonLines(out);
        return new AdminResponse(200, CONTENT_TYPE, out.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("content-disposition", "inline; filename=\"shadowgate-compare.jsonl\""));
    }
}
