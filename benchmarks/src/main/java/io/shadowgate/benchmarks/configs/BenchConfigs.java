package io.shadowgate.benchmarks.configs;

/**
 * The configurations both proxies get for each scenario: Istio YAML for Shadowgate and the equivalent
 * {@code nginx.conf}. One backend process serves three listeners: {@code v1} (the primary), {@code v2} (a fast mirror)
 * and {@code v2-slow} (a mirror answering after a fixed delay).
 */
public final class BenchConfigs {

    /** The Host every benchmark request carries (the VirtualService's host). */
    public static final String HOST = "backend.bench";
    /** Routes in the large route table. */
    public static final int ROUTES = 1000;
    /** The route of the large table a request hits (0-based; the 990th of 1,000). */
    public static final int LATE_ROUTE = 989;

    private BenchConfigs() {
    }

    /** Which mirror a scenario uses. */
    public enum Mirror {
        NONE, FAST, SLOW
    }

    /** Where the backends listen. */
    public record Ports(int v1, int v2, int v2Slow) {
    }

    /**
     * The path of route {@code i} of the large table: it matches the uri regex {@code /svc<i>/[a-z]+/[0-9]+}; the
     * request also needs header {@code x-tenant} (exact {@code tenant-<i>} for even routes, regex
     * {@code tenant-<i>(-[a-z]+)?} for odd ones).
     */
    public static String routePath(int i) {
        return "/svc" + i + "/items/12345";
    }

    /** The {@code x-tenant} value that selects route {@code i}. */
    public static String tenant(int i) {
        return "tenant-" + i;
    }

    // ------------------------------------------------------------------------------------------------ Shadowgate

    /**
     * ServiceEntry + DestinationRule + VirtualService. {@code mirrorPercent} applies when {@code mirror} is not
     * {@link Mirror#NONE}; {@code routes > 1} builds the large table instead of a single catch-all route.
     */
    public static String shadowgateYaml(Ports ports, Mirror mirror, double mirrorPercent, int routes) {
        StringBuilder y = new StringBuilder();
        y.append("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: default}
                spec:
                  hosts: [%1$s]
                  location: MESH_INTERNAL
                  ports:
                  - {number: 80, name: http, protocol: HTTP}
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %2$d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: %3$d}, labels: {version: v2}}
                  - {address: 127.0.0.1, ports: {http: %4$d}, labels: {version: v2-slow}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: backend, namespace: default}
                spec:
                  host: %1$s
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                  - {name: v2-slow, labels: {version: v2-slow}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: backend, namespace: default}
                spec:
                  hosts: [%1$s]
                  http:
                """.formatted(HOST, ports.v1(), ports.v2(), ports.v2Slow()));
        String mirrorBlock = mirror == Mirror.NONE ? "" : """
                    mirror: {host: %s, subset: %s}
                    mirrorPercentage: {value: %s}
                """.formatted(HOST, mirror == Mirror.FAST ? "v2" : "v2-slow", percent(mirrorPercent));
        if (routes <= 1) {
            y.append("  - name: primary\n");
            y.append("    route:\n    - destination: {host: ").append(HOST).append(", subset: v1}\n");
            y.append(mirrorBlock);
            return y.toString();
        }
        for (int i = 0; i < routes; i++) {
            y.append("  - name: r").append(i).append('\n');
            y.append("    match:\n");
            y.append("    - uri: {regex: \"/svc").append(i).append("/[a-z]+/[0-9]+\"}\n");
            if (i % 2 == 0) {
                y.append("      headers: {x-tenant: {exact: \"").append(tenant(i)).append("\"}}\n");
            } else {
                y.append("      headers: {x-tenant: {regex: \"").append(tenant(i)).append("(-[a-z]+)?\"}}\n");
            }
            y.append("    route:\n    - destination: {host: ").append(HOST).append(", subset: v1}\n");
            y.append(mirrorBlock);
        }
        return y.toString();
    }

    private static String percent(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) + ".0" : String.valueOf(p);
    }

    // ------------------------------------------------------------------------------------------------ NGINX

    /**
     * The NGINX equivalent: {@code worker_processes = threads}, keep-alive upstreams, {@code mirror} for mirrors (with
     * {@code split_clients} on {@code $request_id} for a percentage), regex locations for the large table (NGINX checks
     * regex locations in order, as Istio checks routes; the header condition is an {@code if} in the location).
     * Request bodies are buffered in memory up to 2 MiB (no temp files), NGINX's best case for mirrored bodies.
     */
    public static String nginxConf(String workDir, int threads, int listenPort, Ports ports, Mirror mirror,
                                   double mirrorPercent, int routes) {
        StringBuilder c = new StringBuilder();
        c.append("""
                worker_processes %2$d;
                daemon off;
                master_process on;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log warn;
                worker_rlimit_nofile 65535;
                events { worker_connections 20000; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/nginx-tmp/body;
                  proxy_temp_path %1$s/nginx-tmp/proxy;
                  fastcgi_temp_path %1$s/nginx-tmp/fastcgi;
                  uwsgi_temp_path %1$s/nginx-tmp/uwsgi;
                  scgi_temp_path %1$s/nginx-tmp/scgi;
                  keepalive_requests 1000000;
                  keepalive_timeout 60s;
                  client_max_body_size 4m;
                  client_body_buffer_size 2m;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Request-Id $request_id;
                  upstream v1 { server 127.0.0.1:%3$d; keepalive 1024; }
                  upstream v2 { server 127.0.0.1:%4$d; keepalive 1024; }
                  upstream v2slow { server 127.0.0.1:%5$d; keepalive 1024; }
                """.formatted(workDir, threads, ports.v1(), ports.v2(), ports.v2Slow()));
        boolean sampled = mirror != Mirror.NONE && mirrorPercent < 100.0;
        if (sampled) {
            c.append("  split_clients \"${request_id}\" $mirror_sampled { ").append(percent(mirrorPercent))
                    .append("% \"1\"; * \"\"; }\n");
        }
        c.append("  server {\n");
        c.append("    listen 127.0.0.1:").append(listenPort).append(" backlog=4096;\n");
        String mirrorDirectives = mirror == Mirror.NONE ? ""
                : "      mirror /_mirror;\n      mirror_request_body on;\n";
        if (routes <= 1) {
            c.append("    location / {\n").append(mirrorDirectives).append("      proxy_pass http://v1;\n    }\n");
        } else {
            for (int i = 0; i < routes; i++) {
                c.append("    location ~ \"^/svc").append(i).append("/[a-z]+/[0-9]+$\" {\n");
                if (i % 2 == 0) {
                    c.append("      if ($http_x_tenant != \"").append(tenant(i)).append("\") { return 404; }\n");
                } else {
                    c.append("      if ($http_x_tenant !~ \"^").append(tenant(i))
                            .append("(-[a-z]+)?$\") { return 404; }\n");
                }
                c.append(mirrorDirectives).append("      proxy_pass http://v1;\n    }\n");
            }
            c.append("    location / { return 404; }\n");
        }
        if (mirror != Mirror.NONE) {
            c.append("    location = /_mirror {\n      internal;\n");
            if (sampled) {
                c.append("      if ($mirror_sampled = \"\") { return 204; }\n");
            }
            c.append("      proxy_pass http://").append(mirror == Mirror.FAST ? "v2" : "v2slow")
                    .append("$request_uri;\n    }\n");
        }
        c.append("  }\n}\n");
        return c.toString();
    }
}
