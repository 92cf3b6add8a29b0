package io.shadowgate.config.load;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.Destination;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.HTTPMirrorPolicy;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.HTTPRouteDestination;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.Server;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.ServicePort;
import io.shadowgate.config.model.Subset;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.model.WorkloadEntry;
import java.util.List;

/** The fields routing cannot do without; each missing one is an ERROR at the place it should be. */
final class RequiredFields {

    private RequiredFields() {
    }

    static void check(Resource<?> r, List<Diagnostic> sink) {
        Object spec = r.spec();
        if (spec instanceof VirtualService vs) {
            virtualService(r, vs, sink);
        } else if (spec instanceof DestinationRule dr) {
            if (blank(dr.host())) {
                missing(r, "spec.host", "a DestinationRule needs host", sink);
            }
            List<Subset> subsets = dr.subsets();
            for (int i = 0; subsets != null && i < subsets.size(); i++) {
                if (subsets.get(i) == null || blank(subsets.get(i).name())) {
                    missing(r, "spec.subsets[" + i + "].name", "a subset needs a name", sink);
                }
            }
        } else if (spec instanceof ServiceEntry se) {
            if (se.hosts() == null || se.hosts().isEmpty()) {
                missing(r, "spec.hosts", "a ServiceEntry needs at least one host", sink);
            }
            List<ServicePort> ports = se.ports();
            for (int i = 0; ports != null && i < ports.size(); i++) {
                if (ports.get(i) == null || ports.get(i).number() == null) {
                    missing(r, "spec.ports[" + i + "].number", "a service port needs a number", sink);
                }
            }
        } else if (spec instanceof Gateway gw) {
            if (gw.servers() == null || gw.servers().isEmpty()) {
                missing(r, "spec.servers", "a Gateway needs at least one server", sink);
            } else {
                for (int i = 0; i < gw.servers().size(); i++) {
                    Server s = gw.servers().get(i);
                    if (s == null || s.port() == null) {
                        missing(r, "spec.servers[" + i + "].port", "a Gateway server needs a port", sink);
                    } else if (s.port().number() == null) {
                        missing(r, "spec.servers[" + i + "].port.number", "a Gateway server port needs a number",
                                sink);
                    }
                }
            }
        } else if (spec instanceof WorkloadEntry we) {
            if (blank(we.address())) {
                missing(r, "spec.address", "a WorkloadEntry needs an address", sink);
            }
        }
    }

    private static void virtualService(Resource<?> r, VirtualService vs, List<Diagnostic> sink) {
        if (empty(vs.http()) && empty(vs.tcp()) && empty(vs.tls())) {
            missing(r, "spec", "a VirtualService needs at least one of http, tcp or tls", sink);
        }
        List<HTTPRoute> http = vs.http();
        for (int i = 0; http != null && i < http.size(); i++) {
            HTTPRoute route = http.get(i);
            String base = "spec.http[" + i + "]";
            if (route == null) {
                missing(r, base, "an http rule cannot be empty", sink);
                continue;
            }
            List<HTTPRouteDestination> dests = route.route();
            for (int j = 0; dests != null && j < dests.size(); j++) {
                HTTPRouteDestination d = dests.get(j);
                String p = base + ".route[" + j + "]";
                if (d == null || d.destination() == null) {
                    missing(r, p + ".destination", "a route entry needs a destination", sink);
                } else {
                    destination(r, d.destination(), p + ".destination", sink);
                }
            }
            if (route.mirror() != null) {
                destination(r, route.mirror(), base + ".mirror", sink);
            }
            List<HTTPMirrorPolicy> mirrors = route.mirrors();
            for (int j = 0; mirrors != null && j < mirrors.size(); j++) {
                HTTPMirrorPolicy m = mirrors.get(j);
                String p = base + ".mirrors[" + j + "]";
                if (m == null || m.destination() == null) {
                    missing(r, p + ".destination", "a mirrors entry needs a destination", sink);
                } else {
                    destination(r, m.destination(), p + ".destination", sink);
                }
            }
            if (route.directResponse() != null && route.directResponse().status() == null) {
                missing(r, base + ".directResponse.status", "a directResponse needs a status", sink);
            }
            if (route.delegate() != null && blank(route.delegate().name())) {
                missing(r, base + ".delegate.name", "a delegate needs the name of a VirtualService", sink);
            }
        }
    }

    private static void destination(Resource<?> r, Destination d, String path, List<Diagnostic> sink) {
        if (blank(d.host())) {
            missing(r, path + ".host", "a destination needs a host", sink);
        }
    }

    private static void missing(Resource<?> r, String field, String message, List<Diagnostic> sink) {
        sink.add(r.diagnostic(Severity.ERROR, DiagnosticCodes.MISSING_FIELD, field, message));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean empty(List<?> l) {
        return l == null || l.isEmpty();
    }
}
