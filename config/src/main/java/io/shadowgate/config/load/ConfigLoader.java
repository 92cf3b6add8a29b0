package io.shadowgate.config.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ResourceMeta;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.model.WorkloadEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Istio YAML from files, directories and strings.
 *
 * <p>Directories are read recursively; only {@code *.yaml} and {@code *.yml} files are taken, in name order within
 * each directory. Names starting with a dot are skipped: a Kubernetes ConfigMap mount holds every file three times
 * (the visible {@code name.yaml} symlink, {@code ..data/name.yaml} and {@code ..2024_01_01_00_00_00.123/name.yaml}),
 * and only the visible names are read, following their symlinks. A file named explicitly is read whatever its
 * extension.
 *
 * <p>Each file may hold several {@code ---}-separated documents; empty documents are skipped. Supported are
 * {@code VirtualService}, {@code DestinationRule}, {@code ServiceEntry}, {@code WorkloadEntry} and {@code Gateway}
 * of {@code networking.istio.io/v1}, {@code v1beta1} and {@code v1alpha3}; anything else is skipped with a warning.
 *
 * <p>Thread-safe: a loader holds no per-load state.
 */
public final class ConfigLoader {

    /** The apiVersions read. */
    public static final Set<String> API_VERSIONS =
            Set.of("networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3");

    /** The kinds read, and the record their {@code spec} binds to. */
    public static final Map<String, Class<?>> KINDS = Map.of(
            "VirtualService", VirtualService.class,
            "DestinationRule", DestinationRule.class,
            "ServiceEntry", ServiceEntry.class,
            "WorkloadEntry", WorkloadEntry.class,
            "Gateway", Gateway.class);

    /** The envelope's fields, so that a misspelt {@code spce} is reported like any unknown field. */
    private record Envelope(String apiVersion, String kind, JsonNode metadata, JsonNode spec, JsonNode status) {
    }

    /** {@code metadata} as Kubernetes writes it ({@code kubectl get -o yaml} output loads without warnings). */
    private record Metadata(String name, String namespace, Map<String, String> annotations,
                            Map<String, String> labels, String creationTimestamp, JsonNode uid,
                            JsonNode resourceVersion, JsonNode generation, JsonNode managedFields,
                            JsonNode ownerReferences, JsonNode finalizers, String generateName, JsonNode selfLink,
                            JsonNode deletionTimestamp, JsonNode deletionGracePeriodSeconds) {
    }

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Reads every file and directory in {@code paths}, in order. */
    public LoadResult load(List<Path> paths) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<Resource<?>> resources = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : expand(path, diagnostics)) {
                String name = file.toString();
                sources.add(name);
                String text;
                try {
                    text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    diagnostics.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.READ_FAILED,
                            "cannot read file: " + e, name, 0, 0, null, null, null, null));
                    continue;
                }
                parse(name, text, resources, diagnostics);
            }
        }
        return new LoadResult(resources, diagnostics, sources);
    }

    /** Reads one YAML string ({@code sourceName} names it in diagnostics, e.g. {@code built-in}). */
    public LoadResult loadString(String sourceName, String yaml) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<Resource<?>> resources = new ArrayList<>();
        parse(sourceName, yaml, resources, diagnostics);
        return new LoadResult(resources, diagnostics, List.of(sourceName));
    }

    /**
     * The files {@code path} stands for, in the order {@link #load} reads them: itself, or the YAML files under it.
     * Public so that a watcher can hash exactly the files a load reads (control's {@code FileConfigSource}).
     */
    public static List<Path> expand(Path path, List<Diagnostic> diagnostics) {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            Set<Path> visited = new HashSet<>();
            walk(path, out, visited, diagnostics);
        } else if (Files.exists(path)) {
            out.add(path);
        } else {
            diagnostics.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.READ_FAILED,
                    "no such file or directory", path.toString(), 0, 0, null, null, null, null));
        }
        return out;
    }

    private static void walk(Path dir, List<Path> out, Set<Path> visited, List<Diagnostic> diagnostics) {
        try {
            // Symlinked directories could form a cycle; remember real paths.
            if (!visited.add(dir.toRealPath())) {
                return;
            }
            List<Path> entries;
            try (Stream<Path> s = Files.list(dir)) {
                entries = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            }
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(e)) {
                    walk(e, out, visited, diagnostics);
                } else if (Files.isRegularFile(e) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                    out.add(e);
                }
            }
        } catch (IOException e) {
            diagnostics.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.READ_FAILED, "cannot read directory: " + e,
                    dir.toString(), 0, 0, null, null, null, null));
        }
    }

    private void parse(String source, String text, List<Resource<?>> resources, List<Diagnostic> diagnostics) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        for (YamlDocuments.Document doc : YamlDocuments.parse(source, text, diagnostics)) {
            Resource<?> r = document(doc, diagnostics);
            if (r != null) {
                resources.add(r);
            }
        }
    }

    private Resource<?> document(YamlDocuments.Document doc, List<Diagnostic> diagnostics) {
        JsonNode root = doc.root();
        if (!root.isObject()) {
            diagnostics.add(new Diagnostic(Severity.ERROR, DiagnosticCodes.WRONG_TYPE,
                    "expected a Kubernetes resource (a mapping with apiVersion, kind, metadata, spec), got "
                            + SchemaWalker.describe(root),
                    doc.start().file(), doc.start().line(), doc.start().column(), null, null, null, null));
            return null;
        }
        String apiVersion = text(root, "apiVersion");
        String kind = text(root, "kind");
        String name = text(root.path("metadata"), "name");
        String namespace = text(root.path("metadata"), "namespace");
        Class<?> specType = kind == null ? null : KINDS.get(kind);
        if (specType == null || !API_VERSIONS.contains(apiVersion)) {
            String what = kind == null ? "a document without kind"
                    : specType == null ? "kind " + kind + " (" + apiVersion + ") is not an Istio traffic resource "
                            + "Shadowgate reads (VirtualService, DestinationRule, ServiceEntry, WorkloadEntry, Gateway)"
                    : "apiVersion " + apiVersion + " of kind " + kind
                            + " is not supported (expected networking.istio.io/v1, v1beta1 or v1alpha3)";
            String field = kind == null ? null : specType == null ? "kind" : "apiVersion";
            var l = field == null ? doc.start() : doc.locations().at(field);
            diagnostics.add(new Diagnostic(Severity.WARNING, DiagnosticCodes.UNSUPPORTED_KIND, what + "; skipped",
                    l.file(), l.line(), l.column(), kind, namespace, name, field));
            return null;
        }
        JsonNode metaNode = root.path("metadata");
        Instant created = null;
        String createdText = text(metaNode, "creationTimestamp");
        // A first envelope without annotations/labels gives diagnostics a kind and name while checking types.
        ResourceMeta provisional = new ResourceMeta(apiVersion, kind, name, namespace, null, null, null);
        Resource<Object> context = new Resource<>(provisional, null, doc.start(), doc.locations());
        SchemaWalker walker = new SchemaWalker(context, diagnostics);
        walker.walk(root, Envelope.class, "");
        walker.walk(metaNode, Metadata.class, "metadata");
        if (name == null || name.isBlank()) {
            diagnostics.add(context.diagnostic(Severity.ERROR, DiagnosticCodes.MISSING_FIELD, "metadata.name",
                    "metadata.name is required"));
        }
        if (createdText != null) {
            try {
                created = Instant.parse(createdText);
            } catch (DateTimeParseException e) {
                diagnostics.add(context.diagnostic(Severity.WARNING, DiagnosticCodes.INVALID_VALUE,
                        "metadata.creationTimestamp", "not an RFC 3339 timestamp (ignored): " + createdText));
            }
        }
        JsonNode spec = root.get("spec");
        if (spec == null || spec.isNull()) {
            spec = JsonNodeFactory.instance.objectNode();
        }
        walker.walk(spec, specType, "spec");
        if (walker.errors() > 0) {
            return null;
        }
        ResourceMeta meta = new ResourceMeta(apiVersion, kind, name, namespace, stringMap(metaNode, "annotations"),
                stringMap(metaNode, "labels"), created);
        Object bound;
        try {
            bound = mapper.treeToValue(spec, specType);
        } catch (JsonProcessingException e) {
            String path = "spec";
            if (e instanceof JsonMappingException m) {
                for (JsonMappingException.Reference ref : m.getPath()) {
                    path = ref.getFieldName() != null ? Locations.field(path, ref.getFieldName())
                            : Locations.index(path, ref.getIndex());
                }
            }
            diagnostics.add(context.diagnostic(Severity.ERROR, DiagnosticCodes.WRONG_TYPE, path,
                    "cannot read value: " + e.getOriginalMessage()));
            return null;
        }
        Resource<?> resource = new Resource<>(meta, bound, doc.start(), doc.locations());
        RequiredFields.check(resource, diagnostics);
        return resource;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Map<String, String> stringMap(JsonNode meta, String field) {
        JsonNode m = meta.get(field);
        if (m == null || !m.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }
}
