package io.shadowgate.config.model;

import java.util.List;

/**
 * Istio {@code ServiceEntry.spec}: a service in Shadowgate's registry.
 *
 * @param hosts            host names, taken literally (no short-name resolution)
 * @param addresses        virtual IPs
 * @param ports            service ports
 * @param location         {@code MESH_EXTERNAL} or {@code MESH_INTERNAL}
 * @param resolution       {@code NONE}, {@code STATIC}, {@code DNS}, {@code DNS_ROUND_ROBIN}, {@code DYNAMIC_DNS}
 * @param endpoints        inline endpoints
 * @param workloadSelector selects WorkloadEntry resources of the same namespace instead of {@code endpoints}
 * @param exportTo         visibility
 * @param subjectAltNames  expected server SANs
 */
public record ServiceEntry(List<String> hosts, List<String> addresses, List<ServicePort> ports, String location,
                           String resolution, List<WorkloadEntry> endpoints, WorkloadSelector workloadSelector,
                           List<String> exportTo, List<String> subjectAltNames) {
}
