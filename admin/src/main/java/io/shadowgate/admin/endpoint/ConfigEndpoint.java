package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.control.ConfigEvent;
import io.shadowgate.control.ConfigState;
import io.shadowgate.control.ConfigVersion;
import io.shadowgate.control.ConfigView;
import io.shadowgate.control.ResourceChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /config}: what is serving (version number and hash, sources, time), whether the config sources still
 * say the same ({@code sources_match_serving}, and {@code drift} saying how not: after a rollback, after a rejected
 * change), the versions kept (number, hash, parent, what changed), and the history newest first: each event's
 * outcome ({@code applied}, {@code applied_with_errors}, {@code rejected}, {@code unchanged}, {@code rolled_back}),
 * the version serving after it, what changed and its messages.
 */
public final class ConfigEndpoint implements AdminEndpoint {

    private final ConfigView config;

    public ConfigEndpoint(ConfigView config) {
        this.config = config;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "config serving (number, version, sources), whether the sources differ, versions, history";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        ConfigState state = config.state();
        ConfigVersion serving = state.serving();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", serving == null ? null : serving.version());
        out.put("number", serving == null ? null : serving.number());
        out.put("sources", serving == null ? List.of() : serving.sources());
        out.put("applied_at", serving == null ? null : time(serving.appliedAt()));
        out.put("pinned_by_rollback", state.pinned());
        out.put("sources_match_serving", state.sourcesMatchServing());
        out.put("drift", state.drift());
        out.put("error_policy", lower(state.errorPolicy().name()));
        out.put("rejections", state.rejections());
        List<Object> sources = new ArrayList<>();
        for (ConfigState.SourceState s : state.sources()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("content_hash", s.contentHash());
            m.put("received_at", time(s.receivedAt()));
            m.put("accepted", s.accepted());
            m.put("ready", s.ready());
            sources.add(m);
        }
        out.put("config_sources", sources);
        List<Object> versions = new ArrayList<>();
        for (ConfigVersion v : config.versions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", v.number());
            m.put("version", v.version());
            m.put("applied_at", time(v.appliedAt()));
            m.put("outcome", lower(v.outcome().name()));
            m.put("parent", v.parent());
            m.put("serving", serving != null && serving.number() == v.number());
            m.put("sources", v.sources());
            m.put("changes", changes(v.changes()));
            versions.add(m);
        }
        out.put("versions", versions);
        List<Object> history = new ArrayList<>();
        for (ConfigEvent e : config.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", e.version());
            m.put("number", e.number());
            m.put("from_number", e.fromNumber());
            m.put("at", time(e.at()));
            m.put("outcome", lower(e.outcome().name()));
            m.put("trigger", e.trigger());
            m.put("sources", e.sources());
            m.put("changes", changes(e.changes()));
            m.put("messages", e.messages());
            history.add(m);
        }
        out.put("history", history);
        return AdminResponse.json(200, out);
    }

    /** {@code ["modified VirtualService default/reviews", ...]}. */
    private static List<String> changes(List<ResourceChange> changes) {
        return changes.stream().map(ResourceChange::toString).toList();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
