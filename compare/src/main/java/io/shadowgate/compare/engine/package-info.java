/**
 * The comparison engine: the module's entry point for the proxy, the admin API and the CLI.
 *
 * <p>Owns {@link io.shadowgate.compare.engine.ComparisonEngine} (non-blocking {@code offer} into a
 * bounded queue, a small pool of comparison threads, a rate limit, synchronous {@code compareNow}
 * for tests and {@code explain}, reports, reset, JSON-lines export) and
 * {@link io.shadowgate.compare.engine.ExchangeComparison}, the result of one synchronous comparison.
 * It wires the other packages together and holds no comparison logic of its own.
 */
package io.shadowgate.compare.engine;
