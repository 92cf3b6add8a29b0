/**
 * Shadow traffic: starting the mirrors a request's routing decision sampled ({@code config.decide}: Istio's
 * sampling, nested across policies), building the copy, and sending it on a separate connection pool within budgets that guarantee the primary is never slowed:
 * per-destination requests in flight, bytes buffered per request and in total, and a timeout. Over any budget a
 * mirror is abandoned and counted ({@code observe.MirrorOutcome}, {@code observe.SkipReason}), never waited for.
 * {@code MirrorFanout} is what the router drives per request; {@code ResponseCapture} keeps a response (the
 * primary's and each mirror's) for comparison.
 *
 * <p><b>Internal</b>: used by {@code ProxyServer} and the router only; anything here may change or disappear at
 * any time.
 */
package io.shadowgate.proxy.mirror;
