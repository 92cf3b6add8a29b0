/**
 * Reading Istio YAML: files, directories (including Kubernetes ConfigMap mounts) and strings, into located
 * {@link io.shadowgate.config.model.Resource}s plus diagnostics.
 *
 * <p>Owns: {@link io.shadowgate.config.load.ConfigLoader} and {@link io.shadowgate.config.load.LoadResult}. The YAML
 * is parsed in streaming mode and the JSON tree is built here so that every field path gets its file, line and
 * column; binding to the model records is lenient (unknown fields are ignored by Jackson) but every unknown field,
 * wrong type and missing required field is reported with its place. Semantic checks that need more than one
 * resource (unknown hosts, subsets, gateways) belong to {@code io.shadowgate.config.compile}.
 */
package io.shadowgate.config.load;
