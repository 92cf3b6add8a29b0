package io.shadowgate.compare.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Deterministically ordered, unmodifiable copies of count maps, so renderings are stable. */
final class ReportMaps {

    private ReportMaps() {
    }

    static Map<String, Long> sorted(Map<String, Long> in) {
        return Collections.unmodifiableMap(new TreeMap<>(in));
    }
}
