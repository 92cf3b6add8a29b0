package io.shadowgate.config.diagnostics;

/** As istiod: an {@code ERROR} rejects the configuration, a {@code WARNING} is reported and accepted. */
public enum Severity {
    ERROR, WARNING, INFO
}
