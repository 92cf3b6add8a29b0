package io.shadowgate.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Case-insensitive lookups in an ordered list of header fields, shared by the recorded request of the test backend
 * and the raw response of the test client.
 */
public final class HeaderFields {

    private HeaderFields() {
    }

    /** First value of header {@code name} in {@code headers} (case-insensitive), or {@code null} when absent. */
    public static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** All values of header {@code name} in {@code headers} (case-insensitive), in order; a new mutable list. */
    public static List<String> all(List<Map.Entry<String, String>> headers, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.add(e.getValue());
            }
        }
        return values;
    }
}
