package io.shadowgate.config.model;

import java.util.List;
import java.util.Map;

/**
 * Istio {@code Headers.HeaderOperations}. Values are Envoy format strings ({@code %REQ(x-id)%}, {@code %%}).
 *
 * @param set    overwrite or add
 * @param add    append (or add)
 * @param remove names to remove
 */
public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
}
