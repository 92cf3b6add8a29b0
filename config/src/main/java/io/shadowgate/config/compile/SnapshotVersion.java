package io.shadowgate.config.compile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.shadowgate.config.model.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshot version: {@code sha256:} and the first 12 hex digits of a SHA-256 over a canonical JSON form of the
 * resources (in the given order; properties and map keys sorted, nulls left out), so the same files with the same
 * content always give the same version, whatever the formatting or comments.
 */
final class SnapshotVersion {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private SnapshotVersion() {
    }

    static String of(List<Resource<?>> resources) {
        List<Map<String, Object>> canonical = new ArrayList<>();
        for (Resource<?> r : resources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("apiVersion", r.meta().apiVersion());
            m.put("kind", r.meta().kind());
            m.put("namespace", r.meta().namespace());
            m.put("name", r.meta().name());
            m.put("annotations", new TreeMap<>(r.meta().annotations()));
            m.put("labels", new TreeMap<>(r.meta().labels()));
            m.put("spec", r.spec());
            canonical.add(m);
        }
        try {
            byte[] json = CANONICAL.writeValueAsBytes(canonical);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            // Model records always serialize and every JVM has SHA-256; fall back to something stable anyway.
            return "sha256:" + HexFormat.of().formatHex(
                    String.valueOf(resources.size()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
