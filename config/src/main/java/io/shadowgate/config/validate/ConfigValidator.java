package io.shadowgate.config.validate;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ResourceSet;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.model.WorkloadEntry;
import java.util.List;

/**
 * Validates loaded resources as istiod's admission webhook does ({@code pkg/config/validation}), and analyses them
 * together as {@code istioctl analyze} does.
 *
 * <p>Every rule of §3 of the semantics reference is applied to each VirtualService, DestinationRule, ServiceEntry,
 * WorkloadEntry and Gateway: an ERROR rejects the configuration (code {@code IST0106}, SchemaValidationError), a
 * WARNING is reported and the configuration accepted (code {@code IST0133}, SchemaWarning, or the specific
 * {@code IST0130}/{@code IST0131} for rule order). The cross-resource analysis ({@code IST0101}, {@code IST0109},
 * {@code IST0112}, {@code IST0132}, {@code IST0134}, {@code IST0145}, {@code IST0173}, {@code SG0013}) reports
 * each finding at the level {@code istioctl analyze} gives its code ({@link
 * io.shadowgate.config.diagnostics.DiagnosticCodes#severity}). See {@code docs/validation.md} for every rule.
 *
 * <p>Each diagnostic names its file, line and column (from the loader's field positions), resource and field path.
 * Most callers want {@link ConfigCheck}, which adds the loader's and the compiler's findings.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    /**
     * Validates {@code resources}: each on its own, then all together. A resource defined twice (same kind,
     * namespace and name) is validated both times, but only the later definition takes part in the analysis, as
     * with {@code kubectl apply}.
     *
     * @param domainSuffix the cluster domain short host names resolve into ({@code cluster.local})
     */
    public static List<Diagnostic> validate(List<Resource<?>> resources, String domainSuffix) {
        return validate(ResourceSet.of(resources), domainSuffix);
    }

    /**
     * Validates every definition in {@code set} on its own, then the resources in effect together (the same index
     * the compiler reads).
     *
     * @param domainSuffix the cluster domain short host names resolve into ({@code cluster.local})
     */
    @SuppressWarnings("unchecked")
    public static List<Diagnostic> validate(ResourceSet set, String domainSuffix) {
        Sink sink = new Sink();
        for (Resource<?> r : set.definitions()) {
            Object spec = r.spec();
            if (spec instanceof VirtualService) {
                VirtualServiceRules.check((Resource<VirtualService>) r, sink);
            } else if (spec instanceof DestinationRule) {
                DestinationRuleRules.check((Resource<DestinationRule>) r, sink);
            } else if (spec instanceof ServiceEntry) {
                ServiceEntryRules.check((Resource<ServiceEntry>) r, sink);
            } else if (spec instanceof WorkloadEntry) {
                ServiceEntryRules.workloadEntry((Resource<WorkloadEntry>) r, sink);
            } else if (spec instanceof Gateway) {
                GatewayRules.check((Resource<Gateway>) r, sink);
            }
        }
        Analysis.run(set.virtualServices(), set.destinationRules(), set.serviceEntries(), set.workloadEntries(),
                set.gateways(), domainSuffix, sink);
        return sink.list();
    }
}
