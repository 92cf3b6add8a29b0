/**
 * Compiles loaded Istio resources into the immutable {@link io.shadowgate.config.snapshot.RoutingSnapshot} the proxy
 * reads, with Istio's (istiod's) translation rules and Envoy's runtime semantics.
 *
 * <p>Owns: {@link io.shadowgate.config.compile.SnapshotCompiler}, {@link io.shadowgate.config.compile.CompileOptions}
 * and {@link io.shadowgate.config.compile.CompileResult}. Everything else in the package is an internal step:
 * the service registry from ServiceEntry/WorkloadEntry, DestinationRule merging and policy compilation, delegation,
 * route translation (matches, destinations, header operations, rewrites, retries, faults, CORS, mirrors),
 * Shadowgate's {@code shadowgate.io/} annotations, and listener assembly for Gateway and mesh mode. Routes are
 * translated twice per compilation (a validation pass over every VirtualService, then each listener), sharing one
 * {@code Regexes} cache so every distinct regex is compiled (and validated) once.
 *
 * <p>Every semantic rule is cited to the istiod or Envoy function it copies, so a difference from Istio can be traced
 * to a line. Problems are collected, never thrown: a configuration with any ERROR yields no snapshot, and the
 * proxy keeps serving the last good one.
 */
package io.shadowgate.config.compile;
