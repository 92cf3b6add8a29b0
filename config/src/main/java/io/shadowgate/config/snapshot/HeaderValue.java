package io.shadowgate.config.snapshot;

/**
 * A header value from Istio YAML: an Envoy format string where {@code %VAR%} is substituted per request and
 * {@code %%} is a literal {@code %}. Literal values render without allocation.
 */
public interface HeaderValue {

    /** The value for this request. */
    String render(RequestView request);

    /** The value as written in the YAML, for {@code explain} and {@code config_dump}. */
    String source();

    /** A value without variables. */
    static HeaderValue literal(String value) {
        return new HeaderValue() {
            @Override
            public String render(RequestView request) {
                return value;
            }

            @Override
            public String source() {
                return value;
            }

            @Override
            public String toString() {
                return value;
            }
        };
    }
}
