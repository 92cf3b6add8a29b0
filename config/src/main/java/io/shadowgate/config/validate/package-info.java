/**
 * Validation of Istio traffic resources as istiod's admission webhook and {@code istioctl analyze} do it.
 *
 * <p>Owns: {@link io.shadowgate.config.validate.ConfigValidator} (every rule of istiod's validation for
 * VirtualService, DestinationRule, ServiceEntry, WorkloadEntry and Gateway, then the cross-resource analysis with
 * istioctl's message codes) and {@link io.shadowgate.config.validate.ConfigCheck} (loader, validator and compiler
 * findings merged, used by {@code run}, {@code validate} and {@code explain}). The rule classes are internal.
 *
 * <p>Errors reject a configuration and warnings are accepted, as istiod does. Every rule and code is listed in
 * {@code docs/validation.md}.
 */
package io.shadowgate.config.validate;
