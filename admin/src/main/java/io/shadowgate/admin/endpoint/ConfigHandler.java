package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.admin.spi.ConfigEvent;
import io.shadowgate.admin.spi.ConfigStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /config}: the serving config's version, sources and time, and the recent history with each outcome
 * ({@code applied}, {@code rejected}, {@code rolled_back}) and rejection messages, newest first.
 */
public final class ConfigHandler implements AdminEndpoint {

    private final ConfigStatus status;

    public ConfigHandler(ConfigStatus status) {
        this.status = status;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "config version, source, applied time and history (applied / rejected / rolled back)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", status.currentVersion());
        out.put("sources", status.currentSources());
        out.put("applied_at", time(status.appliedAt()));
        List<Object> history = new ArrayList<>();
        for (ConfigEvent e : status.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", e.version());
            m.put("at", time(e.at()));
            m.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
            m.put("sources", e.sources());
            m.put("messages", e.messages());
            history.add(m);
        }
        out.put("history", history);
        return AdminResponse.json(200, out);
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
