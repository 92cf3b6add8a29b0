package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.proxy.ProxyServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /listeners}: the addresses the proxy listens on and their listener names, as Envoy prints them
 * ({@code name::address}), or JSON with {@code ?format=json}.
 */
public final class ListenersEndpoint implements AdminEndpoint {

    private final ProxyServer proxy;

    public ListenersEndpoint(ProxyServer proxy) {
        this.proxy = proxy;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "listener names and the addresses they are bound to (?format=json)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        List<Bound> bound = match(proxy.snapshot(), proxy.boundAddresses());
        if (request.wantsJson()) {
            List<Object> out = new ArrayList<>();
            for (Bound b : bound) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.name);
                m.put("address", b.address == null ? null
                        : b.address.getAddress().getHostAddress() + ":" + b.address.getPort());
                m.put("port", b.address == null ? 0 : b.address.getPort());
                m.put("configured", b.config == null ? null : b.config.bindHost() + ":" + b.config.port());
                m.put("gateways", b.config == null ? List.of() : b.config.gateways());
                m.put("virtual_hosts", b.config == null ? 0 : b.config.routes().virtualHosts().size());
                out.add(m);
            }
            return AdminResponse.json(200, Map.of("listener_statuses", out));
        }
        StringBuilder sb = new StringBuilder();
        for (Bound b : bound) {
            sb.append(b.name).append("::").append(b.address == null ? "-"
                    : b.address.getAddress().getHostAddress() + ":" + b.address.getPort()).append('\n');
        }
        return AdminResponse.text(200, sb.toString());
    }

    /**
     * Pairs the snapshot's listeners with the bound addresses: first by configured port (when not 0), then the
     * remaining ones (ephemeral ports) in order.
     */
    static List<Bound> match(RoutingSnapshot snapshot, List<InetSocketAddress> addresses) {
        List<InetSocketAddress> left = new ArrayList<>(addresses);
        List<Bound> out = new ArrayList<>();
        List<ListenerConfig> unmatched = new ArrayList<>();
        for (ListenerConfig l : snapshot.listeners()) {
            InetSocketAddress hit = null;
            if (l.port() != 0) {
                for (InetSocketAddress a : left) {
                    if (a.getPort() == l.port()) {
                        hit = a;
                        break;
                    }
                }
            }
            if (hit != null) {
                left.remove(hit);
                out.add(new Bound(l.name(), hit, l));
            } else {
                unmatched.add(l);
                out.add(null);
            }
        }
        int u = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                ListenerConfig l = unmatched.get(u++);
                InetSocketAddress a = left.isEmpty() ? null : left.remove(0);
                out.set(i, new Bound(l.name(), a, l));
            }
        }
        for (InetSocketAddress a : left) {
            out.add(new Bound("(closing)", a, null));
        }
        return out;
    }

    record Bound(String name, InetSocketAddress address, ListenerConfig config) {
    }
}
