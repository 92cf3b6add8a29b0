package io.shadowgate.config.snapshot;

import java.util.List;

/**
 * Header operations applied in order, each stage removing first and then setting/adding, as Envoy's
 * {@code HeaderParser} does ("remove before add").
 *
 * @param stages the stages in application order (route level and destination level, already ordered)
 */
public record HeaderOps(List<Stage> stages) {

    /** No operations. */
    public static final HeaderOps NONE = new HeaderOps(List.of());

    public HeaderOps {
        stages = List.copyOf(stages);
    }

    /** Whether there is nothing to do. */
    public boolean isEmpty() {
        return stages.isEmpty();
    }

    /**
     * One level's operations (Istio {@code HeaderOperations}).
     *
     * @param remove lower-case names to remove
     * @param set    lower-case names and values that replace any existing value; sorted by name as Istio sorts them
     * @param add    lower-case names and values appended to any existing values; sorted by name
     */
    public record Stage(List<String> remove, List<Entry> set, List<Entry> add) {
        public Stage {
            remove = List.copyOf(remove);
            set = List.copyOf(set);
            add = List.copyOf(add);
        }
    }

    /** A header name and its (possibly formatted) value. */
    public record Entry(String name, HeaderValue value) {
    }
}
