package io.shadowgate.config.model;

import java.time.Instant;
import java.util.Map;

/**
 * The Kubernetes envelope of a resource.
 *
 * @param apiVersion        {@code networking.istio.io/v1} (or {@code v1beta1}, {@code v1alpha3})
 * @param kind              {@code VirtualService}, {@code DestinationRule}, ...
 * @param name              {@code metadata.name}
 * @param namespace         {@code metadata.namespace}, {@code default} when absent (as {@code kubectl apply})
 * @param annotations       {@code metadata.annotations}, never {@code null}
 * @param labels            {@code metadata.labels}, never {@code null}
 * @param creationTimestamp {@code metadata.creationTimestamp}, or {@code null}
 */
public record ResourceMeta(String apiVersion, String kind, String name, String namespace,
                           Map<String, String> annotations, Map<String, String> labels, Instant creationTimestamp) {

    /** Kubernetes' namespace for resources that do not name one. */
    public static final String DEFAULT_NAMESPACE = "default";

    public ResourceMeta {
        namespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
