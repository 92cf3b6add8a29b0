package io.shadowgate.cli.commands;

/** The demo's built-in configuration: the classic Istio mirroring example, v1 serving and v2 mirrored. */
final class DemoConfig {

    private DemoConfig() {
    }

    static String yaml(int gatewayPort, int v1Port, int v2Port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: demo-gateway
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port: {number: %1$d, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: app-svc
                spec:
                  hosts: [app-svc.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  ports:
                  - {number: 80, name: http, protocol: HTTP}
                  resolution: STATIC
                  endpoints:
                  - address: 127.0.0.1
                    ports: {http: %2$d}
                    labels: {app: frontend, version: v1}
                  - address: 127.0.0.1
                    ports: {http: %3$d}
                    labels: {app: frontend, version: v2}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: app-svc
                spec:
                  host: app-svc
                  subsets:
                  - name: v1
                    labels: {version: v1}
                  - name: v2
                    labels: {version: v2}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: app-svc
                spec:
                  hosts: ["*"]
                  gateways: [demo-gateway]
                  http:
                  - name: primary
                    route:
                    - destination: {host: app-svc, subset: v1}
                      weight: 100
                    mirror: {host: app-svc, subset: v2}
                    mirrorPercentage: {value: 100.0}
                """.formatted(gatewayPort, v1Port, v2Port);
    }
}
