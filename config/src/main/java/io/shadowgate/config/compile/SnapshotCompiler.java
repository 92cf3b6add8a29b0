package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ResourceSet;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.model.WorkloadEntry;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles resources into a {@link RoutingSnapshot}.
 *
 * <pre>{@code
 * LoadResult loaded = new ConfigLoader().load(List.of(Path.of("config/")));
 * CompileResult result = SnapshotCompiler.compile(loaded, CompileOptions.defaults());
 * if (result.snapshot() == null) { result.errors().forEach(d -> System.err.println(d.format())); }
 * }</pre>
 *
 * <p>Steps: the service registry (ServiceEntry, WorkloadEntry), DestinationRules merged per host, every cluster
 * (service port × subset), delegation, a validation pass over every VirtualService, then the listeners (Gateway mode
 * or mesh mode, see {@code Listeners}). Stateless and thread-safe.
 *
 * <p>Not modelled (reported as info where it matters): {@code exportTo} visibility (Shadowgate sees every resource it
 * is given, except that a delegate must be exported to its root's namespace), Sidecar resources, TLS termination and
 * origination, TCP/TLS routes, JWT-claim matches, locality load balancing.
 */
public final class SnapshotCompiler {

    private SnapshotCompiler() {
    }

    /**
     * Compiles what {@code loaded} holds. The loader's diagnostics are included in the result (and the snapshot's
     * warnings); any loader error rejects the configuration.
     */
    public static CompileResult compile(LoadResult loaded, CompileOptions options) {
        return compile(loaded, ResourceSet.of(loaded.resources()), options);
    }

    /**
     * Compiles what {@code loaded} holds, from {@code set}, its resources already indexed (the index the validator
     * reads too: {@code ConfigCheck} builds it once).
     */
    public static CompileResult compile(LoadResult loaded, ResourceSet set, CompileOptions options) {
        CompileOptions o = options.sourceNames().isEmpty() ? options.withSourceNames(loaded.sources()) : options;
        return compile(set, o, loaded.diagnostics());
    }

    /** Compiles {@code resources} (any order of kinds; the order of VirtualServices matters for merging). */
    public static CompileResult compile(List<Resource<?>> resources, CompileOptions options) {
        return compile(ResourceSet.of(resources), options, List.of());
    }

    /** {@code prior}: the loader's diagnostics, included in the result, any error among them rejecting it. */
    private static CompileResult compile(ResourceSet set, CompileOptions options, List<Diagnostic> prior) {
        Reporter rep = new Reporter();
        rep.addAll(prior);
        // A resource named twice (same kind, namespace, name): the later one wins, as with kubectl apply.
        for (ResourceSet.Redefinition d : set.redefinitions()) {
            Resource<?> r = d.later();
            rep.add(r.diagnostic(Severity.WARNING, DiagnosticCodes.DUPLICATE, null, r.kind() + " " + r.key()
                    + " is defined again (first at " + d.previous().location() + "); the later definition is used"));
        }
        List<Resource<?>> resources = set.resources();
        List<Resource<VirtualService>> vss = set.virtualServices();
        List<Resource<DestinationRule>> drs = set.destinationRules();
        List<Resource<ServiceEntry>> ses = set.serviceEntries();
        List<Resource<WorkloadEntry>> wes = set.workloadEntries();
        List<Resource<Gateway>> gws = set.gateways();

        String suffix = options.domainSuffix();
        ServiceRegistry registry = ServiceRegistry.build(ses, wes, rep);
        DestinationRules rules = DestinationRules.build(drs, suffix, rep);
        Map<String, ClusterConfig> clusters = rules.clusters(registry);

        // Delegates are the VirtualServices without hosts; they are only served through a root.
        Map<String, Resource<VirtualService>> all = new LinkedHashMap<>();
        Map<String, Resource<VirtualService>> delegates = new LinkedHashMap<>();
        for (Resource<VirtualService> vs : vss) {
            all.put(vs.key(), vs);
            if (vs.spec().hosts() == null || vs.spec().hosts().isEmpty()) {
                delegates.put(vs.key(), vs);
                if (vs.spec().gateways() != null && !vs.spec().gateways().isEmpty()) {
                    rep.error(vs, DiagnosticCodes.INVALID_VALUE, "spec.gateways",
                            "a delegate VirtualService (one without hosts) cannot set gateways");
                }
            }
            if (vs.spec().tcp() != null && !vs.spec().tcp().isEmpty()) {
                rep.info(vs, DiagnosticCodes.UNSUPPORTED, "spec.tcp", "tcp routes are not served (HTTP only)");
            }
            if (vs.spec().tls() != null && !vs.spec().tls().isEmpty()) {
                rep.info(vs, DiagnosticCodes.UNSUPPORTED, "spec.tls", "tls routes are not served (HTTP only)");
            }
        }
        List<Listeners.Root> roots = new ArrayList<>();
        Set<String> usedDelegates = new HashSet<>();
        for (Resource<VirtualService> vs : vss) {
            if (delegates.containsKey(vs.key())) {
                continue;
            }
            List<String> hosts = new ArrayList<>();
            for (int i = 0; i < vs.spec().hosts().size(); i++) {
                String h = vs.spec().hosts().get(i);
                if (h == null || h.isBlank()) {
                    rep.error(vs, DiagnosticCodes.INVALID_VALUE, "spec.hosts[" + i + "]", "a host cannot be empty");
                    continue;
                }
                String fqdn = Hosts.fqdn(h, vs.namespace(), suffix);
                if (!hosts.contains(fqdn)) {
                    hosts.add(fqdn);
                }
            }
            List<Delegation.FlatRule> flat = Delegation.flatten(vs, delegates, all, suffix, rep);
            flat.stream().map(Delegation.FlatRule::delegateKey).filter(k -> k != null).forEach(usedDelegates::add);
            roots.add(new Listeners.Root(vs, hosts, flat));
        }

        // Validation pass: every VirtualService is translated once, whether or not a listener serves it, so that
        // its errors are reported like istiod's webhook would. Warnings here would depend on an artificial listener
        // and are dropped; the real listeners report them.
        Regexes regexes = new Regexes(); // both passes and every listener share each compiled regex
        RouteCompiler validator = new RouteCompiler(registry, clusters, suffix, rep, true, regexes);
        RouteCompiler.ListenerContext probe = RouteCompiler.ListenerContext.mesh(options.defaultListenPort());
        rep.errorsOnly(true);
        for (Listeners.Root root : roots) {
            validator.compile(root.vs(), root.rules(), probe);
        }
        for (Resource<VirtualService> d : delegates.values()) {
            if (!usedDelegates.contains(d.key())) {
                List<Delegation.FlatRule> own = Delegation.flatten(d, Map.of(), all, suffix, rep);
                validator.compile(d, own, probe);
            }
        }
        rep.errorsOnly(false);

        RouteCompiler rc = new RouteCompiler(registry, clusters, suffix, rep, false, regexes);
        List<ListenerConfig> listeners;
        if (!gws.isEmpty()) {
            listeners = Listeners.gatewayMode(gws, roots, rc, options.defaultListenHost(), rep);
        } else {
            listeners = List.of(Listeners.meshMode(roots, registry, clusters, rc, options.defaultListenHost(),
                    options.defaultListenPort(), suffix, rep));
        }

        List<Diagnostic> diagnostics = rep.list();
        // Errors first (stable within each severity), so a CLI prints what blocks the config at the top.
        diagnostics.sort(Comparator.comparingInt(d -> d.severity().ordinal()));
        if (rep.hasErrors()) {
            return new CompileResult(null, diagnostics);
        }
        RoutingSnapshot snapshot = new RoutingSnapshot(SnapshotVersion.of(resources), options.clock().instant(),
                options.sourceNames(), listeners, clusters, diagnostics);
        return new CompileResult(snapshot, diagnostics);
    }
}
