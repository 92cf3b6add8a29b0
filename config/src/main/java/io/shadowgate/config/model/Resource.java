package io.shadowgate.config.model;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;

/**
 * One loaded document: its envelope, its bound {@code spec}, and where everything was written.
 *
 * @param meta      apiVersion, kind, name, namespace, annotations, labels
 * @param spec      the bound spec ({@link VirtualService}, {@link DestinationRule}, ...)
 * @param location  where the document starts
 * @param locations the position of every field path of the document ({@code spec.http[0].route[1].weight})
 * @param <T>       the spec type
 */
public record Resource<T>(ResourceMeta meta, T spec, SourceLocation location, Locations locations) {

    public Resource {
        if (locations == null) {
            locations = Locations.NONE;
        }
        if (location == null) {
            location = SourceLocation.of(null);
        }
    }

    /** A resource without source positions (built in code, for tests and built-in configs). */
    public static <T> Resource<T> of(String kind, String namespace, String name, T spec) {
        return new Resource<>(new ResourceMeta("networking.istio.io/v1", kind, name, namespace, null, null, null), spec,
                SourceLocation.of(null), Locations.NONE);
    }

    /** {@code metadata.name}. */
    public String name() {
        return meta.name();
    }

    /** {@code metadata.namespace}. */
    public String namespace() {
        return meta.namespace();
    }

    /** The kind ({@code VirtualService}). */
    public String kind() {
        return meta.kind();
    }

    /** {@code namespace/name}. */
    public String key() {
        return meta.key();
    }

    /** The source file, or {@code null}. */
    public String file() {
        return location.file();
    }

    /** The spec cast to {@code type}, or {@code null} when it is of another type. */
    public <S> S specAs(Class<S> type) {
        return type.isInstance(spec) ? type.cast(spec) : null;
    }

    /**
     * A diagnostic about {@code field} of this resource, located at that field's value (or its nearest written
     * ancestor).
     */
    public Diagnostic diagnostic(Severity severity, String code, String field, String message) {
        SourceLocation l = field == null ? location : locations.at(field);
        String file = l.file() != null ? l.file() : location.file();
        return new Diagnostic(severity, code, message, file, l.line(), l.column(), meta.kind(), meta.namespace(),
                meta.name(), field);
    }
}
