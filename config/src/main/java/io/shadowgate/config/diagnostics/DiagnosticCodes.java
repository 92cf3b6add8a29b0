package io.shadowgate.config.diagnostics;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The diagnostic codes Shadowgate reports, and the level of each ({@link #severity}). Codes of
 * {@code istioctl analyze} are reused where one exists, so users can search for them, and carry the level istioctl
 * gives them ({@code pkg/config/analysis/msg/messages.yaml}): a finding Istio rates Error rejects the configuration
 * here too. The one deliberate exception is IST0131, an Info there and a warning here (istiod's webhook returns the
 * same finding as a warning). The rest are Shadowgate's own.
 *
 * <table>
 *   <caption>Codes</caption>
 *   <tr><th>Code</th><th>Severity</th><th>Meaning</th></tr>
 *   <tr><td>SG0001</td><td>error</td><td>YAML syntax error, or a duplicate key in a mapping</td></tr>
 *   <tr><td>SG0002</td><td>error</td><td>unknown field (Kubernetes rejects it too), with the nearest known field name</td></tr>
 *   <tr><td>SG0003</td><td>warning</td><td>document of an unsupported kind or apiVersion (skipped)</td></tr>
 *   <tr><td>SG0004</td><td>error</td><td>a value of the wrong type (a string where a number is expected, ...)</td></tr>
 *   <tr><td>SG0005</td><td>error</td><td>a required field is missing</td></tr>
 *   <tr><td>SG0006</td><td>error</td><td>a file or directory could not be read</td></tr>
 *   <tr><td>SG0007</td><td>error</td><td>a duration that does not parse</td></tr>
 *   <tr><td>SG0008</td><td>error</td><td>a {@code shadowgate.io/} annotation with a bad value</td></tr>
 *   <tr><td>SG0009</td><td>warning</td><td>an unknown {@code shadowgate.io/} annotation</td></tr>
 *   <tr><td>SG0010</td><td>warning</td><td>a deprecated Istio field is used</td></tr>
 *   <tr><td>SG0011</td><td>error</td><td>a value Istio's validation rejects (bad regex, weight &lt; 0, ...)</td></tr>
 *   <tr><td>SG0012</td><td>info/warning</td><td>a feature Shadowgate does not implement (TLS termination, TCP
 *       routes, source selectors, ...); a warning where a port is not served</td></tr>
 *   <tr><td>SG0013</td><td>warning</td><td>a duplicate (resource, subset, ServiceEntry host) that is dropped or
 *       merged</td></tr>
 *   <tr><td>SG0014</td><td>warning</td><td>a setting Istio accepts but that has no effect (redirect code not
 *       supported, route after a catch-all on another VirtualService, ...)</td></tr>
 *   <tr><td>SG0015</td><td>error</td><td>nothing can be served: every Gateway server has a protocol Shadowgate
 *       does not serve</td></tr>
 *   <tr><td>IST0101</td><td>error</td><td>referenced resource not found: unknown destination or mirror host, subset,
 *       gateway or delegate (traffic to it would get 503 NC; mirrors would be dropped)</td></tr>
 *   <tr><td>IST0112</td><td>error</td><td>a destination without port on a service with several ports</td></tr>
 *   <tr><td>IST0130</td><td>warning</td><td>unreachable rule: a rule after a catch-all rule</td></tr>
 *   <tr><td>IST0132</td><td>warning</td><td>a VirtualService host that matches no host of its Gateway</td></tr>
 *   <tr><td>IST0106</td><td>error</td><td>{@code shadowgate validate}: a value istiod's validation webhook rejects
 *       (SchemaValidationError)</td></tr>
 *   <tr><td>IST0109</td><td>error</td><td>two VirtualServices bound to {@code mesh} claim the same host</td></tr>
 *   <tr><td>IST0131</td><td>warning</td><td>a match block that an earlier rule's match already covers</td></tr>
 *   <tr><td>IST0133</td><td>warning</td><td>{@code shadowgate validate}: a setting istiod's validation webhook warns
 *       about (SchemaWarning)</td></tr>
 *   <tr><td>IST0134</td><td>warning</td><td>a ServiceEntry with TCP (or unset protocol) ports and no addresses</td></tr>
 *   <tr><td>IST0145</td><td>error</td><td>Gateways with the same selector, port and overlapping hosts</td></tr>
 *   <tr><td>IST0173</td><td>error</td><td>a DestinationRule subset whose labels select no endpoint</td></tr>
 * </table>
 */
public final class DiagnosticCodes {

    /** YAML syntax error. */
    public static final String YAML_SYNTAX = "SG0001";
    /** Unknown field. */
    public static final String UNKNOWN_FIELD = "SG0002";
    /** Unsupported kind or apiVersion. */
    public static final String UNSUPPORTED_KIND = "SG0003";
    /** Wrong value type. */
    public static final String WRONG_TYPE = "SG0004";
    /** Missing required field. */
    public static final String MISSING_FIELD = "SG0005";
    /** Unreadable file. */
    public static final String READ_FAILED = "SG0006";
    /** Bad duration. */
    public static final String BAD_DURATION = "SG0007";
    /** Bad annotation value. */
    public static final String BAD_ANNOTATION = "SG0008";
    /** Unknown annotation. */
    public static final String UNKNOWN_ANNOTATION = "SG0009";
    /** Deprecated field. */
    public static final String DEPRECATED_FIELD = "SG0010";
    /** Invalid value. */
    public static final String INVALID_VALUE = "SG0011";
    /** Unsupported feature. */
    public static final String UNSUPPORTED = "SG0012";
    /** Duplicate. */
    public static final String DUPLICATE = "SG0013";
    /** Accepted but ineffective. */
    public static final String INEFFECTIVE = "SG0014";
    /** Nothing can be served: no listener would be opened. */
    public static final String NOTHING_SERVED = "SG0015";
    /** istioctl's ReferencedResourceNotFound. */
    public static final String REFERENCED_RESOURCE_NOT_FOUND = "IST0101";
    /** istioctl's VirtualServiceDestinationPortSelectorRequired. */
    public static final String PORT_SELECTOR_REQUIRED = "IST0112";
    /** istioctl's VirtualServiceUnreachableRule. */
    public static final String UNREACHABLE_RULE = "IST0130";
    /** istioctl's VirtualServiceHostNotFoundInGateway. */
    public static final String HOST_NOT_FOUND_IN_GATEWAY = "IST0132";
    /** istioctl's SchemaValidationError: an istiod webhook rule rejects the value. */
    public static final String SCHEMA_VALIDATION_ERROR = "IST0106";
    /** istioctl's ConflictingMeshGatewayVirtualServiceHosts. */
    public static final String CONFLICTING_MESH_GATEWAY_HOSTS = "IST0109";
    /** istioctl's VirtualServiceIneffectiveMatch. */
    public static final String INEFFECTIVE_MATCH = "IST0131";
    /** istioctl's SchemaWarning: an istiod webhook rule warns about the value. */
    public static final String SCHEMA_WARNING = "IST0133";
    /** istioctl's ServiceEntryAddressesRequired. */
    public static final String SERVICE_ENTRY_ADDRESSES_REQUIRED = "IST0134";
    /** istioctl's ConflictingGateways. */
    public static final String CONFLICTING_GATEWAYS = "IST0145";
    /** istioctl's DestinationRuleSubsetNotSelectPods. */
    public static final String SUBSET_SELECTS_NOTHING = "IST0173";

    private static final Map<String, Severity> LEVELS = Map.ofEntries(
            Map.entry(YAML_SYNTAX, Severity.ERROR),
            Map.entry(UNKNOWN_FIELD, Severity.ERROR),
            Map.entry(UNSUPPORTED_KIND, Severity.WARNING),
            Map.entry(WRONG_TYPE, Severity.ERROR),
            Map.entry(MISSING_FIELD, Severity.ERROR),
            Map.entry(READ_FAILED, Severity.ERROR),
            Map.entry(BAD_DURATION, Severity.ERROR),
            Map.entry(BAD_ANNOTATION, Severity.ERROR),
            Map.entry(UNKNOWN_ANNOTATION, Severity.WARNING),
            Map.entry(DEPRECATED_FIELD, Severity.WARNING),
            Map.entry(INVALID_VALUE, Severity.ERROR),
            Map.entry(UNSUPPORTED, Severity.WARNING),
            Map.entry(DUPLICATE, Severity.WARNING),
            Map.entry(INEFFECTIVE, Severity.WARNING),
            Map.entry(NOTHING_SERVED, Severity.ERROR),
            Map.entry(REFERENCED_RESOURCE_NOT_FOUND, Severity.ERROR),
            Map.entry(SCHEMA_VALIDATION_ERROR, Severity.ERROR),
            Map.entry(CONFLICTING_MESH_GATEWAY_HOSTS, Severity.ERROR),
            Map.entry(PORT_SELECTOR_REQUIRED, Severity.ERROR),
            Map.entry(UNREACHABLE_RULE, Severity.WARNING),
            Map.entry(INEFFECTIVE_MATCH, Severity.WARNING),
            Map.entry(HOST_NOT_FOUND_IN_GATEWAY, Severity.WARNING),
            Map.entry(SCHEMA_WARNING, Severity.WARNING),
            Map.entry(SERVICE_ENTRY_ADDRESSES_REQUIRED, Severity.WARNING),
            Map.entry(CONFLICTING_GATEWAYS, Severity.ERROR),
            Map.entry(SUBSET_SELECTS_NOTHING, Severity.ERROR));

    private DiagnosticCodes() {
    }

    /**
     * The level a finding of {@code code} has: for an {@code IST} code the level {@code istioctl analyze} gives it
     * (except IST0131, see above), for an {@code SG} code Shadowgate's own. SG0012 (unsupported) is a warning here;
     * the compiler lowers it to info where Shadowgate serves the same traffic differently.
     *
     * @throws IllegalArgumentException for a code not in the table
     */
    public static Severity severity(String code) {
        Severity s = LEVELS.get(code);
        if (s == null) {
            throw new IllegalArgumentException("unknown diagnostic code: " + code);
        }
        return s;
    }

    /** Every code, for documentation and tests. */
    public static Set<String> all() {
        return new TreeSet<>(LEVELS.keySet());
    }
}
