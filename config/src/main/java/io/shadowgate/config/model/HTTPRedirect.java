package io.shadowgate.config.model;

/**
 * Istio {@code HTTPRedirect}.
 *
 * @param uri           replaces the whole path
 * @param authority     replaces the host
 * @param port          replaces the port
 * @param derivePort    {@code FROM_PROTOCOL_DEFAULT} or {@code FROM_REQUEST_PORT}
 * @param scheme        replaces the scheme
 * @param redirectCode  301 (default), 302, 303, 307 or 308
 * @param prefixRewrite replaces the matched prefix (Istio 1.31+)
 */
public record HTTPRedirect(String uri, String authority, Long port, String derivePort, String scheme,
                           Integer redirectCode, String prefixRewrite) {
}
