/**
 * Helpers the config module's own packages share (loader, validator, compiler): pieces of Istio syntax read one way
 * everywhere ({@link io.shadowgate.config.internal.IstioSyntax}: host-name matching, IP literals, retry policies,
 * status codes).
 *
 * <p>Internal: anything in this package may change or disappear at any time. Other modules must not use it (the
 * architecture test enforces that); what they need is public API in the other packages.
 */
package io.shadowgate.config.internal;
