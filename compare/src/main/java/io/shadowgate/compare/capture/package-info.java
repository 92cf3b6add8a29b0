/**
 * Input types of the compare module: what the proxy captured for one mirrored exchange.
 *
 * <p>Owns {@link io.shadowgate.compare.capture.CapturedResponse} (one upstream answer, body already
 * bounded by the proxy's capture limit) and {@link io.shadowgate.compare.capture.ExchangePair} (the
 * primary and mirror answers to the same request). These are plain immutable values with no Netty
 * types, so the proxy fills them off its event loops and hands them over without sharing buffers.
 */
package io.shadowgate.compare.capture;
