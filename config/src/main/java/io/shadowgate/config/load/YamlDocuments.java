package io.shadowgate.config.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.SourceLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a YAML stream into documents and builds each document's tree token by token, recording where every field
 * path starts. Jackson's own tree building would lose the positions, which every later message needs.
 */
final class YamlDocuments {

    /** One parsed document. */
    record Document(JsonNode root, SourceLocation start, Locations locations) {
    }

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final List<Diagnostic> diagnostics;
    private Map<String, SourceLocation> values;
    private Map<String, SourceLocation> keys;

    private YamlDocuments(String source, List<Diagnostic> diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    /**
     * Parses every document of {@code yaml}. Documents before a syntax error are returned; the error is added to
     * {@code diagnostics} and the rest of the stream is skipped (a YAML parser cannot resynchronise reliably).
     * Empty documents are dropped.
     */
    static List<Document> parse(String source, String yaml, List<Diagnostic> diagnostics) {
        return new YamlDocuments(source, diagnostics).parseAll(yaml);
    }

    private List<Document> parseAll(String yaml) {
        List<Document> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                values = new HashMap<>();
                keys = new HashMap<>();
                SourceLocation start = location(p.currentTokenLocation());
                JsonNode root = read(p, t, "");
                // A document holding only comments parses as an empty plain scalar (or null): an empty document.
                if (root == null || root.isNull() || root.isMissingNode()
                        || (root.isTextual() && root.asText().isBlank())) {
                    continue;
                }
                out.add(new Document(root, start, new Locations(start, values, keys)));
            }
        } catch (JsonProcessingException e) {
            diagnostics.add(syntaxError(e));
        } catch (IOException e) {
            diagnostics.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.READ_FAILED, "cannot read: " + e.getMessage(),
                    source, 0, 0, null, null, null, null));
        }
        return out;
    }

    private JsonNode read(JsonParser p, JsonToken t, String path) throws IOException {
        SourceLocation here = location(p.currentTokenLocation());
        if (!path.isEmpty()) {
            values.put(path, here);
        }
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = Locations.field(path, name);
                    SourceLocation keyAt = location(p.currentTokenLocation());
                    JsonToken vt = p.nextToken();
                    JsonNode v = read(p, vt, child);
                    if (o.has(name)) {
                        diagnostics.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.YAML_SYNTAX,
                                "duplicate key \"" + name + "\" (first at line " + keys.get(child).line()
                                        + "); Kubernetes rejects duplicate keys",
                                source, keyAt.line(), keyAt.column(), null, null, null, child));
                        continue;
                    }
                    keys.put(child, keyAt);
                    o.set(name, v);
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                JsonToken et;
                while ((et = p.nextToken()) != JsonToken.END_ARRAY && et != null) {
                    a.add(read(p, et, Locations.index(path, i++)));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                // Embedded objects (!!binary) and anything exotic: keep the text form.
                return NODES.textNode(p.getText());
        }
    }

    private SourceLocation location(JsonLocation l) {
        return new SourceLocation(source, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
    }

    private Diagnostic syntaxError(JsonProcessingException e) {
        int line = 0;
        int column = 0;
        // SnakeYAML knows where the problem is; Jackson's location is where the current token started.
        Throwable cause = e.getCause();
        if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            line = m.getProblemMark().getLine() + 1;
            column = m.getProblemMark().getColumn() + 1;
        } else if (e.getLocation() != null) {
            line = Math.max(0, e.getLocation().getLineNr());
            column = Math.max(0, e.getLocation().getColumnNr());
        }
        String problem = clean(e);
        String hint = hint(problem);
        return new Diagnostic(Severity.ERROR, DiagnosticCodes.YAML_SYNTAX, "YAML syntax error: "
                + (hint != null ? hint : problem), source, line, column, null, null, null, null);
    }

    /**
     * What SnakeYAML's message means for someone editing Istio YAML, and what to change; {@code null} when the
     * problem is not one of the common ones (then the parser's sentence is shown).
     */
    static String hint(String problem) {
        String p = problem.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("'\\t'") || p.contains("tab")) {
            return "a tab character; YAML indents with spaces only";
        }
        if (p.contains("expected <block end>") || p.contains("did not find expected key")) {
            return "this line is indented differently from the keys before it; give every key of one mapping the "
                    + "same indentation (spaces), and indent a nested mapping further than its parent key";
        }
        if (p.contains("did not find expected '-' indicator")) {
            return "this list item is indented differently from the items before it; align the '-' of every item";
        }
        if (p.contains("mapping values are not allowed")) {
            return "a 'key: value' where a value was expected: this line is indented further than its siblings "
                    + "(it continues the value above), or a value contains ': ' and needs quotes";
        }
        if (p.contains("could not find expected ':'")) {
            return "a line inside a mapping that is not 'key: value': check its indentation, or add the missing ':'";
        }
        if (p.contains("flow mapping") || p.contains("expected ',' or '}'")) {
            return "a '{...}' mapping is not closed where expected: check its braces and commas";
        }
        if (p.contains("flow sequence") || p.contains("expected ',' or ']'")) {
            return "a '[...]' list is not closed where expected: check its brackets and commas";
        }
        if (p.contains("quoted scalar") && p.contains("end of stream")) {
            return "a quoted string is not closed: add the closing quote";
        }
        return null;
    }

    /** SnakeYAML messages carry "in 'reader', line N" and a source excerpt with a caret; keep only the sentences. */
    private static String clean(JsonProcessingException e) {
        String raw = e.getOriginalMessage();
        if (raw == null) {
            return "unreadable YAML";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : raw.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("in 'reader'") || l.startsWith("in '") || l.equals("^")
                    || line.startsWith("    ")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(l);
        }
        return sb.length() == 0 ? raw.strip() : sb.toString();
    }
}
