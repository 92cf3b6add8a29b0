/**
 * Istio traffic-management resources as plain Java records, named after the Istio proto messages and using their
 * YAML (lowerCamelCase) field names, plus the envelope every loaded document gets.
 *
 * <p>Owns: the records ({@link io.shadowgate.config.model.VirtualService}, {@link
 * io.shadowgate.config.model.DestinationRule}, {@link io.shadowgate.config.model.ServiceEntry}, {@link
 * io.shadowgate.config.model.WorkloadEntry}, {@link io.shadowgate.config.model.Gateway} and their nested messages),
 * the envelope ({@link io.shadowgate.config.model.Resource}, {@link io.shadowgate.config.model.ResourceMeta}), the
 * index of one configuration's resources by kind, namespace and name that validation and compilation share
 * ({@link io.shadowgate.config.model.ResourceSet}, later definitions winning as with {@code kubectl apply}), and
 * source positions ({@link io.shadowgate.config.model.SourceLocation}, {@link io.shadowgate.config.model.Locations}),
 * and the {@link io.shadowgate.config.model.Durations} parser shared by every duration-valued field.
 *
 * <p>The records are deliberately dumb: every field is nullable exactly where the proto field is optional, so "unset"
 * and "set to the default" stay distinguishable (Istio's merge rules depend on it, for instance delegate inheritance
 * and DestinationRule subset merging). Durations stay strings here; the compiler parses them so that a bad value is
 * reported with its location instead of failing the whole document.
 */
package io.shadowgate.config.model;
