/**
 * Configuration of the compare module.
 *
 * <p>Owns {@link io.shadowgate.compare.settings.CompareSettings} (engine sizing, memory bounds,
 * global ignore rules, noise thresholds, verdict thresholds — built once with a builder and
 * immutable afterwards), {@link io.shadowgate.compare.settings.RouteOverrides} (what a single route
 * may change) and {@link io.shadowgate.compare.settings.RouteSettings} (the effective, merged view for
 * one route, returned by {@code CompareSettings.settingsFor(routeKey)}).
 */
package io.shadowgate.compare.settings;
