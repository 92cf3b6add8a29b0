package io.shadowgate.config.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.SourceLocation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * Walks a document tree against the model record types: reports unknown fields (ERROR, with a suggestion: Kubernetes
 * rejects unknown fields of a structural CRD, and a misspelt {@code mirrorPercentge} would otherwise mirror 100%),
 * deprecated fields (WARNING) and values of the wrong type (ERROR, naming the expected type). Jackson binding is
 * lenient and would either coerce silently or fail with one message for the whole document; this walk reports every
 * problem at its own line.
 */
final class SchemaWalker {

    private final Resource<?> context;
    private final List<Diagnostic> sink;
    private int errors;

    SchemaWalker(Resource<?> context, List<Diagnostic> sink) {
        this.context = context;
        this.sink = sink;
    }

    /**
     * Number of type errors found so far. Unknown fields are errors too but are not counted: the document still binds
     * (the field is left out), so that the cross-resource analysis does not add "not found" errors for resources
     * that refer to it.
     */
    int errors() {
        return errors;
    }

    /** Checks {@code node} at {@code path} against {@code type}. */
    void walk(JsonNode node, Type type, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        Class<?> raw = raw(type);
        if (raw == JsonNode.class || raw == Object.class) {
            return;
        }
        if (raw.isRecord()) {
            if (!node.isObject()) {
                typeError(path, "a mapping (" + raw.getSimpleName() + ")", node);
                return;
            }
            RecordSchema schema = RecordSchema.of(raw);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String childPath = Locations.field(path, e.getKey());
                RecordSchema.Field f = schema.field(e.getKey());
                if (f == null) {
                    unknown(schema, e.getKey(), childPath);
                    continue;
                }
                if (f.deprecatedUse() != null && !e.getValue().isNull()) {
                    sink.add(context.diagnostic(Severity.WARNING, DiagnosticCodes.DEPRECATED_FIELD, childPath,
                            f.name() + " is deprecated; use " + f.deprecatedUse()));
                }
                walk(e.getValue(), f.type(), childPath);
            }
        } else if (List.class.isAssignableFrom(raw)) {
            if (!node.isArray()) {
                typeError(path, "a list", node);
                return;
            }
            Type element = argument(type, 0);
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), element, Locations.index(path, i));
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (!node.isObject()) {
                typeError(path, "a mapping", node);
                return;
            }
            Type value = argument(type, 1);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                walk(e.getValue(), value, Locations.field(path, e.getKey()));
            }
        } else if (raw == String.class) {
            if (!node.isTextual()) {
                typeError(path, "a string", node);
            }
        } else if (raw == Integer.class || raw == int.class) {
            if (!node.isIntegralNumber()) {
                typeError(path, "an integer", node);
            } else if (!node.canConvertToInt()) {
                typeError(path, "an integer between -2147483648 and 2147483647", node);
            }
        } else if (raw == Long.class || raw == long.class) {
            if (!node.isIntegralNumber()) {
                typeError(path, "an integer", node);
            } else if (!node.canConvertToLong()) {
                typeError(path, "a 64-bit integer", node);
            }
        } else if (raw == Double.class || raw == double.class) {
            if (!node.isNumber()) {
                typeError(path, "a number", node);
            }
        } else if (raw == Boolean.class || raw == boolean.class) {
            if (!node.isBoolean()) {
                typeError(path, "true or false", node);
            }
        }
    }

    private void unknown(RecordSchema schema, String name, String path) {
        String suggestion = schema.suggest(name);
        String message = "unknown field \"" + name + "\" in " + schema.typeName()
                + (suggestion == null ? "" : "; did you mean " + suggestion + "?");
        SourceLocation l = context.locations().keyAt(path);
        sink.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.UNKNOWN_FIELD, message,
                l.file() != null ? l.file() : context.file(), l.line(), l.column(), context.kind(),
                context.namespace(), context.name(), path));
    }

    private void typeError(String path, String expected, JsonNode actual) {
        errors++;
        String hint = "";
        if (actual.isTextual() && !expected.startsWith("a string") && !expected.startsWith("a mapping")
                && !expected.startsWith("a list")) {
            hint = "; remove the quotes";
        } else if (expected.equals("a string") && (actual.isNumber() || actual.isBoolean())) {
            hint = "; quote it (\"" + actual.asText() + "\")";
        }
        sink.add(context.diagnostic(Severity.ERROR, DiagnosticCodes.WRONG_TYPE, path,
                "expected " + expected + ", got " + describe(actual) + hint));
    }

    /** {@code a string ("80")}, {@code a number (1.5)}, {@code a list}, {@code a mapping}. */
    static String describe(JsonNode n) {
        if (n.isTextual()) {
            String t = n.asText();
            return "a string (\"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\")";
        }
        if (n.isNumber()) {
            return "a number (" + n.asText() + ")";
        }
        if (n.isBoolean()) {
            return "a boolean (" + n.asText() + ")";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type argument(Type t, int i) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }
}
