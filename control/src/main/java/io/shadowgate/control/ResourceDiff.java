package io.shadowgate.control;

import io.shadowgate.config.model.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a version's resources are, for saying what changed between two versions. A resource is identified by kind,
 * namespace and name (as Kubernetes does); it is modified when its apiVersion, labels, annotations or spec differ
 * (the model records compare by value). Where it was written (file, line) does not count: moving a resource to
 * another file changes nothing.
 */
final class ResourceDiff {

    private record Key(String kind, String namespace, String name) {
    }

    private record Content(String apiVersion, Map<String, String> labels, Map<String, String> annotations,
                           Object spec) {
    }

    private final Map<Key, Content> resources;

    private ResourceDiff(Map<Key, Content> resources) {
        this.resources = resources;
    }

    static final ResourceDiff EMPTY = new ResourceDiff(Map.of());

    /** The resources as the compiler sees them: a later definition of the same resource wins. */
    static ResourceDiff of(List<Resource<?>> list) {
        Map<Key, Content> m = new LinkedHashMap<>();
        for (Resource<?> r : list) {
            m.put(new Key(r.kind(), r.namespace(), r.name()),
                    new Content(r.meta().apiVersion(), r.meta().labels(), r.meta().annotations(), r.spec()));
        }
        return new ResourceDiff(Map.copyOf(m));
    }

    /** What {@code newer} adds, removes and modifies against this, sorted by kind, namespace and name. */
    List<ResourceChange> changesTo(ResourceDiff newer) {
        List<ResourceChange> out = new ArrayList<>();
        for (Map.Entry<Key, Content> e : newer.resources.entrySet()) {
            Content before = resources.get(e.getKey());
            if (before == null) {
                out.add(change(ResourceChange.Change.ADDED, e.getKey()));
            } else if (!Objects.equals(before, e.getValue())) {
                out.add(change(ResourceChange.Change.MODIFIED, e.getKey()));
            }
        }
        for (Key k : resources.keySet()) {
            if (!newer.resources.containsKey(k)) {
                out.add(change(ResourceChange.Change.REMOVED, k));
            }
        }
        out.sort(ResourceChange.ORDER);
        return out;
    }

    boolean isEmpty() {
        return resources.isEmpty();
    }

    private static ResourceChange change(ResourceChange.Change c, Key k) {
        return new ResourceChange(c, k.kind(), k.namespace(), k.name() == null ? "" : k.name());
    }
}
