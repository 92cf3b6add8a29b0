/**
 * Shadow traffic: starting the mirrors a request's routing decision sampled ({@code config.decide}: Istio's
 * sampling, nested across policies), building the copy, and sending it on a separate connection pool within budgets that guarantee the primary is never slowed:
 * per-destination requests in flight, bytes buffered per request and in total, and a timeout. Over any budget a
 * mirror is abandoned and counted, never waited for.
 */
package io.shadowgate.proxy.mirror;
