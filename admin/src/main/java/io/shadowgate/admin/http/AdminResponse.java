package io.shadowgate.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One admin response.
 *
 * @param status      the status code
 * @param contentType the {@code content-type}
 * @param body        the body
 * @param headers     extra headers (may be empty)
 */
public record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** {@code text/plain; charset=UTF-8}. */
    public static final String TEXT = "text/plain; charset=UTF-8";
    /** {@code application/json}. */
    public static final String JSON = "application/json";

    /** Pretty-printing mapper shared by the endpoints. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public AdminResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A plain-text response. */
    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A JSON response of {@code value} (a Jackson tree, a record, a map, ...). */
    public static AdminResponse json(int status, Object value) {
        try {
            return new AdminResponse(status, JSON, MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON error {@code {"error": message}}. */
    public static AdminResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    /** A copy with one more header. */
    public AdminResponse withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new AdminResponse(status, contentType, body, h);
    }
}
