package io.shadowgate.compare.group;

import java.util.Locale;
import java.util.Objects;

/**
 * Identity of a comparison group: route key, HTTP method and path template.
 *
 * <p>Immutable. Components are length-capped on construction so that a flood of odd requests
 * cannot grow memory through long keys; the number of groups is capped by the statistics layer,
 * which folds further groups into {@link #OTHER}.
 *
 * @param routeKey     route identity, e.g. {@code "default/app-vs#0 checkout"}
 * @param method       upper-case HTTP method
 * @param pathTemplate path with id-like segments collapsed, e.g. {@code /users/{id}}
 */
public record GroupKey(String routeKey, String method, String pathTemplate) {

    /** Route key of the overflow group, also used as the metric's {@code route} tag for it. */
    public static final String OTHER_ROUTE = "(other)";

    /** The overflow group that absorbs exchanges once the group bound is reached. */
    public static final GroupKey OTHER = new GroupKey(OTHER_ROUTE, "*", "*");

    static final int MAX_ROUTE_KEY_LENGTH = 256;
    static final int MAX_METHOD_LENGTH = 32;

    public GroupKey {
        Objects.requireNonNull(routeKey, "routeKey");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        routeKey = cap(routeKey, MAX_ROUTE_KEY_LENGTH);
        method = cap(method.toUpperCase(Locale.ROOT), MAX_METHOD_LENGTH);
        pathTemplate = cap(pathTemplate, PathTemplates.MAX_TEMPLATE_LENGTH);
    }

    /** Group of a concrete request: the path is templated with {@link PathTemplates#template(String)}. */
    public static GroupKey of(String routeKey, String method, String path) {
        return new GroupKey(routeKey, method, PathTemplates.template(path));
    }

    /** Whether this is the overflow group. */
    public boolean overflow() {
        return OTHER.equals(this);
    }

    private static String cap(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** {@code "<route> <METHOD> <template>"}, as shown in reports. */
    @Override
    public String toString() {
        return routeKey + " " + method + " " + pathTemplate;
    }
}
