package io.shadowgate.config.validate;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.model.WorkloadEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    @SuppressWarnings("unchecked")
    public static List<Diagnostic> validate(List<Resource<?>> resources, String domainSuffix) {
        Sink sink = new Sink();
        Map<String, Resource<?>> latest = new LinkedHashMap<>();
        for (Resource<?> r : resources) {
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
            } else {
                continue;
            }
            String key = r.kind() + "|" + r.key();
            latest.remove(key);
            latest.put(key, r);
        }
        List<Resource<VirtualService>> vss = new ArrayList<>();
        List<Resource<DestinationRule>> drs = new ArrayList<>();
        List<Resource<ServiceEntry>> ses = new ArrayList<>();
        List<Resource<WorkloadEntry>> wes = new ArrayList<>();
        List<Resource<Gateway>> gws = new ArrayList<>();
        for (Resource<?> r : latest.values()) {
            Object spec = r.spec();
            if (spec instanceof VirtualService) {
                vss.add((Resource<VirtualService>) r);
            } else if (spec instanceof DestinationRule) {
                drs.add((Resource<DestinationRule>) r);
            } else if (spec instanceof ServiceEntry) {
                ses.add((Resource<ServiceEntry>) r);
            } else if (spec instanceof WorkloadEntry) {
                wes.add((Resource<WorkloadEntry>) r);
            } else {
                gws.add((Resource<Gateway>) r);
            }
        }
        Analysis.run(vss, drs, ses, wes, gws, domainSuffix, sink);
        return sink.list();
    }
}
