package io.shadowgate.config.diagnostics;

/**
 * One problem, located and explained.
 *
 * @param severity  error, warning or info
 * @param code      an {@code istioctl analyze} code where one exists ({@code IST0101}), else a Shadowgate code
 *                  ({@code SG0001}); see {@code docs/validation.md}
 * @param message   a sentence that tells the user what to change
 * @param file      the file, or {@code null}
 * @param line      1-based line, or 0 when unknown
 * @param column    1-based column, or 0 when unknown
 * @param kind      resource kind ({@code VirtualService}), or {@code null}
 * @param namespace resource namespace, or {@code null}
 * @param name      resource name, or {@code null}
 * @param field     field path ({@code spec.http[0].route[1].weight}), or {@code null}
 */
public record Diagnostic(Severity severity, String code, String message, String file, int line, int column,
                         String kind, String namespace, String name, String field) {

    /** {@code file:line:column: error IST0101 VirtualService default/reviews spec.http[0]: message}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        sb.append(severity.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(code);
        if (kind != null) {
            sb.append(' ').append(kind);
            if (name != null) {
                sb.append(' ').append(namespace == null ? "default" : namespace).append('/').append(name);
            }
        }
        if (field != null) {
            sb.append(' ').append(field);
        }
        return sb.append(": ").append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
