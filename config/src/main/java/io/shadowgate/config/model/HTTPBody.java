package io.shadowgate.config.model;

/**
 * Istio {@code HTTPBody}: a oneof of text and base64 bytes.
 *
 * @param string the body as text (sent as UTF-8)
 * @param bytes  the body as base64
 */
public record HTTPBody(String string, String bytes) {
}
