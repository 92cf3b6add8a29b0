package io.shadowgate.config.model;

import java.util.List;

/**
 * Istio {@code LoadBalancerSettings.ConsistentHashLB}: one hash key source and one hashing algorithm.
 *
 * @param httpHeaderName         hash on this request header
 * @param httpCookie             hash on this cookie (generated when absent and a ttl is set)
 * @param useSourceIp            hash on the client address
 * @param httpQueryParameterName hash on this query parameter
 * @param ringHash               ring hash (default algorithm)
 * @param maglev                 Maglev
 * @param minimumRingSize        deprecated; use {@code ringHash.minimumRingSize}
 */
public record ConsistentHashLB(String httpHeaderName, HTTPCookie httpCookie, Boolean useSourceIp,
                               String httpQueryParameterName, RingHash ringHash, MagLev maglev,
                               @IstioDeprecated(use = "ringHash") Long minimumRingSize) {

    /**
     * Istio {@code HTTPCookie}.
     *
     * @param name       cookie name (required)
     * @param path       cookie path
     * @param ttl        lifetime of a generated cookie
     * @param attributes extra cookie attributes
     */
    public record HTTPCookie(String name, String path, String ttl, List<Attribute> attributes) {
    }

    /**
     * A cookie attribute.
     *
     * @param name  attribute name
     * @param value attribute value
     */
    public record Attribute(String name, String value) {
    }

    /**
     * Ring hash settings.
     *
     * @param minimumRingSize minimum number of ring entries (Envoy default 1024)
     */
    public record RingHash(Long minimumRingSize) {
    }

    /**
     * Maglev settings.
     *
     * @param tableSize lookup table size, a prime (Envoy default 65537)
     */
    public record MagLev(Long tableSize) {
    }
}
