package io.shadowgate.control;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * One resource that differs between two versions.
 *
 * @param change    added, removed or modified
 * @param kind      {@code VirtualService}, {@code DestinationRule}, ...
 * @param namespace the resource's namespace
 * @param name      the resource's name
 */
public record ResourceChange(Change change, String kind, String namespace, String name) {

    /** How a resource differs. */
    public enum Change {
        /** In the newer version only. */
        ADDED,
        /** In the older version only. */
        REMOVED,
        /** In both, with a different spec, labels, annotations or apiVersion. */
        MODIFIED
    }

    /** Kind, then namespace, then name. */
    static final Comparator<ResourceChange> ORDER = Comparator.comparing(ResourceChange::kind)
            .thenComparing(ResourceChange::namespace).thenComparing(ResourceChange::name);

    public ResourceChange {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** {@code modified VirtualService default/reviews}. */
    @Override
    public String toString() {
        return change.name().toLowerCase(Locale.ROOT) + " " + kind + " " + namespace + "/" + name;
    }
}
