package io.shadowgate.compare.report;

/** Which evidence a field's noise decision rests on, strongest first. */
public enum EvidenceSource {
    /** The group's own noise samples: two answers of v1 to the same request. */
    SAMPLES,
    /** The route's noise samples from its other endpoints (the group has too few of its own). */
    ROUTE_SAMPLES,
    /** v1 returned this array in varying order in noise samples: it is compared as a multiset. */
    ARRAY_ORDER,
    /** No noise samples (the route forbids them or none arrived): the value-shape rules. */
    SHAPE_RULES
}
