package io.shadowgate.config.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration's resources, indexed once by kind, namespace and name, for validation and compilation alike.
 *
 * <p>A resource defined twice (same kind, namespace and name) is kept once: the later definition wins and takes the
 * later position, as with {@code kubectl apply}; {@link #redefinitions()} lists each replaced definition so the
 * compiler can say so. {@link #definitions()} keeps every definition as given, for checks that look at each document
 * on its own. Immutable.
 */
public final class ResourceSet {

    private final List<Resource<?>> definitions;
    private final List<Resource<?>> resources;
    private final List<Redefinition> redefinitions;
    private final Map<String, Resource<?>> byKey;
    private final List<Resource<VirtualService>> virtualServices = new ArrayList<>();
    private final List<Resource<DestinationRule>> destinationRules = new ArrayList<>();
    private final List<Resource<ServiceEntry>> serviceEntries = new ArrayList<>();
    private final List<Resource<WorkloadEntry>> workloadEntries = new ArrayList<>();
    private final List<Resource<Gateway>> gateways = new ArrayList<>();

    /**
     * A definition replaced by a later one of the same kind, namespace and name.
     *
     * @param later    the definition that is used
     * @param previous the one it replaces
     */
    public record Redefinition(Resource<?> later, Resource<?> previous) {
    }

    private ResourceSet(List<Resource<?>> definitions) {
        this.definitions = List.copyOf(definitions);
        Map<String, Resource<?>> last = new LinkedHashMap<>();
        List<Redefinition> replaced = new ArrayList<>();
        for (Resource<?> r : this.definitions) {
            String key = key(r.kind(), r.namespace(), r.name());
            Resource<?> previous = last.remove(key);
            if (previous != null) {
                replaced.add(new Redefinition(r, previous));
            }
            last.put(key, r);
        }
        this.byKey = last;
        this.resources = List.copyOf(last.values());
        this.redefinitions = List.copyOf(replaced);
        for (Resource<?> r : resources) {
            file(r);
        }
    }

    /** Indexes {@code definitions} (file order, then document order). */
    public static ResourceSet of(List<Resource<?>> definitions) {
        return new ResourceSet(definitions);
    }

    @SuppressWarnings("unchecked")
    private void file(Resource<?> r) {
        Object spec = r.spec();
        if (spec instanceof VirtualService) {
            virtualServices.add((Resource<VirtualService>) r);
        } else if (spec instanceof DestinationRule) {
            destinationRules.add((Resource<DestinationRule>) r);
        } else if (spec instanceof ServiceEntry) {
            serviceEntries.add((Resource<ServiceEntry>) r);
        } else if (spec instanceof WorkloadEntry) {
            workloadEntries.add((Resource<WorkloadEntry>) r);
        } else if (spec instanceof Gateway) {
            gateways.add((Resource<Gateway>) r);
        }
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "|" + namespace + "/" + name;
    }

    /** Every definition as given, redefinitions included. */
    public List<Resource<?>> definitions() {
        return definitions;
    }

    /** The resources in effect: one per kind, namespace and name, ordered by their (last) definition. */
    public List<Resource<?>> resources() {
        return resources;
    }

    /** The definitions replaced by later ones, in the order the later ones appear. */
    public List<Redefinition> redefinitions() {
        return redefinitions;
    }

    /** The resource of {@code kind} named {@code namespace/name}, or {@code null}. */
    public Resource<?> get(String kind, String namespace, String name) {
        return byKey.get(key(kind, namespace, name));
    }

    /** The VirtualServices in effect, in order. */
    public List<Resource<VirtualService>> virtualServices() {
        return List.copyOf(virtualServices);
    }

    /** The DestinationRules in effect, in order. */
    public List<Resource<DestinationRule>> destinationRules() {
        return List.copyOf(destinationRules);
    }

    /** The ServiceEntries in effect, in order. */
    public List<Resource<ServiceEntry>> serviceEntries() {
        return List.copyOf(serviceEntries);
    }

    /** The WorkloadEntries in effect, in order. */
    public List<Resource<WorkloadEntry>> workloadEntries() {
        return List.copyOf(workloadEntries);
    }

    /** The Gateways in effect, in order. */
    public List<Resource<Gateway>> gateways() {
        return List.copyOf(gateways);
    }
}
