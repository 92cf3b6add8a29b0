package io.shadowgate.cli.commands;

import io.shadowgate.cli.gateway.GatewayProcess;
import io.shadowgate.testkit.demo.FrontendApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code shadowgate demo}: two built-in versions of a small JSON app behind the classic Istio mirroring example.
 * v1 answers users, every request is mirrored to v2, and the comparison finds what v2 changed. Writes nothing to
 * disk. The access log is off unless {@code --access-log} is given (the report is what the demo shows), and the
 * verdict is the last thing printed. With {@code --backends-only} it starts just the two apps, for the tutorial in
 * {@code examples/tutorial/}.
 *
 * <p>Exit code: 0 when the demo ran (with {@code --exit}: after printing the report, whatever the verdict; the
 * demo's v2 differs from v1 on purpose); 1 when the gateway or a backend could not start.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start built-in v1/v2 backends and a gateway that serves v1 and mirrors to v2, send some "
                + "traffic, and show how v2 compares with v1.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo ran (with --exit: the report was printed, whatever the verdict)",
                "1:the gateway or a backend could not start"})
public final class DemoCommand implements Callable<Integer> {

    private static final String VERSION_HEADER = "x-app-version";

    @Mixin
    GatewayOptions options;

    @Option(names = "--traffic", defaultValue = "200",
            description = "Requests the demo sends itself before showing the comparison (0: none).")
    int traffic;

    @Option(names = "--exit", description = "Exit after showing the comparison instead of serving until Ctrl-C.")
    boolean exit;

    @Option(names = "--print-config",
            description = "Print the YAML the demo serves, with the ports it uses (--listen, --backend-ports), "
                    + "and exit.")
    boolean printConfig;

    @Option(names = "--backend-ports", paramLabel = "V1,V2", defaultValue = "9081,9082", split = ",",
            description = "Ports of the built-in v1 and v2 apps on 127.0.0.1; 0 picks a free one; a busy port is "
                    + "replaced by a free one and said so (default: ${DEFAULT-VALUE}).")
    List<Integer> backendPorts;

    @Option(names = "--backends-only",
            description = "Start only the built-in v1 and v2 apps on --backend-ports and serve until Ctrl-C (the "
                    + "backends of examples/tutorial/).")
    boolean backendsOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (backendPorts.size() != 2) {
            throw new ParameterException(spec.commandLine(), "--backend-ports: " + backendPorts
                    + " (expected: two ports, V1,V2)");
        }
        if (printConfig) {
            System.out.println(DemoConfig.yaml(HostPort.parse(options.listen, "0.0.0.0").port(), backendPorts.get(0),
                    backendPorts.get(1)));
            return 0;
        }
        if (backendsOnly) {
            return serveBackends();
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--access-log")) {
            // ~2 lines per request would bury the report: the demo shows the log only when asked.
            options.accessLog = "off";
        }
        if (!options.compareIgnoreHeaders.contains(VERSION_HEADER)) {
            // Each version names itself in this header by design: a known, intended difference, not a finding.
            options.compareIgnoreHeaders.add(VERSION_HEADER);
        }
        try (FrontendApp v1 = startApp("v1", backendPorts.get(0));
             FrontendApp v2 = startApp("v2", backendPorts.get(1))) {
            HostPort listen = HostPort.parse(options.listen, "0.0.0.0");
            if (listen.port() == 0) {
                // The demo's Gateway resource needs a real port number (Istio rejects 0): take a free one.
                listen = new HostPort(listen.host(), freePort(listen.host()));
                options.listen = listen.toString();
            }
            String yaml = DemoConfig.yaml(listen.port(), v1.port(), v2.port());
            GatewayProcess gateway = GatewayProcess.startFromString("built-in demo config", yaml, options.spec(),
                    System.err);
            if (gateway == null) {
                return 1;
            }
            try {
                int port = gateway.proxy().port();
                String base = "http://127.0.0.1:" + port;
                String admin = "http://" + gateway.services().adminAddress();
                System.out.println("Shadowgate demo");
                System.out.println("  gateway   " + base + "   (VirtualService app-svc: 100% to subset v1, "
                        + "mirrored 100% to subset v2)");
                System.out.println("  admin     " + (options.adminEnabled() ? admin : "off (--admin off)"));
                if (options.adminEnabled()) {
                    System.out.println("  dashboard " + gateway.services().dashboardUrl()
                            + "   (open in a browser: routes, versions, mirror, verdict, example pairs)");
                }
                System.out.println("  backends  v1 on 127.0.0.1:" + v1.port() + ", v2 on 127.0.0.1:" + v2.port()
                        + " (ServiceEntry app-svc, labels app=frontend, version=v1|v2)");
                System.out.println("  access log " + ("off".equals(options.accessLog)
                        ? "off (--access-log stdout, or --access-log FILE, to see one line per request and mirror)"
                        : options.accessLog));
                if (traffic > 0) {
                    System.out.println();
                    System.out.println("Sending " + traffic + " requests through the gateway…");
                    sendTraffic(base, traffic);
                    gateway.services().awaitComparisons(traffic, Duration.ofSeconds(10));
                    System.out.println();
                    System.out.println(gateway.services().compareReportText());
                }
                if (!exit) {
                    System.out.println();
                    System.out.println("Try:");
                    System.out.println("  curl -i " + base + "/api/products/1          # v1 answers; v2 gets a copy");
                    if (options.adminEnabled()) {
                        System.out.println("  curl -s " + admin + "/compare                 # v2 vs v1, as JSON");
                        System.out.println("  ./shadowgate report --admin " + gateway.services().adminAddress()
                                + "   # the same, as a table");
                        System.out.println("  curl -s " + admin + "/stats/prometheus | grep -E "
                                + "'istio_requests_total|shadowgate_mirror'");
                    }
                    System.out.println("  ./shadowgate demo --print-config --listen " + listen + " --backend-ports "
                            + v1.port() + "," + v2.port() + "   # the YAML behind this demo");
                }
                if (traffic > 0) {
                    System.out.println();
                    DemoVerdict.print(gateway.services().compareReport(), System.out);
                }
                if (exit) {
                    return 0;
                }
                System.out.println("Press Ctrl-C to stop.");
                gateway.awaitShutdown();
            } finally {
                gateway.close();
            }
        }
        return 0;
    }

    /** {@code --backends-only}: the two apps, until Ctrl-C. */
    private int serveBackends() throws InterruptedException {
        try (FrontendApp v1 = startApp("v1", backendPorts.get(0));
             FrontendApp v2 = startApp("v2", backendPorts.get(1))) {
            System.out.println("v1 on 127.0.0.1:" + v1.port() + ", v2 on 127.0.0.1:" + v2.port()
                    + " (built-in demo app; each names its version in x-app-version). Press Ctrl-C to stop.");
            java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shadowgate-backends-shutdown"));
            stop.await();
        }
        return 0;
    }

    /** The app on {@code port}, or on a free port (said on stderr) when {@code port} is taken. */
    private static FrontendApp startApp(String version, int port) {
        if (port == 0) {
            return FrontendApp.start(version, "127.0.0.1", 0);
        }
        try {
            return FrontendApp.start(version, "127.0.0.1", port);
        } catch (RuntimeException e) {
            FrontendApp app = FrontendApp.start(version, "127.0.0.1", 0);
            System.err.println("shadowgate demo: port " + port + " is in use; " + version + " runs on "
                    + app.port() + " instead");
            return app;
        }
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** A realistic mix over the app's endpoints. */
    private static void sendTraffic(String base, int n) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> paths = List.of("/api/products", "/api/products/1", "/api/products/2", "/api/products/3",
                "/api/health", "/");
        int ok = 0;
        for (int i = 0; i < n; i++) {
            HttpRequest request;
            if (i % 7 == 6) {
                request = HttpRequest.newBuilder(URI.create(base + "/api/cart"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"id\":1,\"qty\":2},{\"id\":3,\"qty\":1}]}"))
                        .timeout(Duration.ofSeconds(10)).build();
            } else {
                request = HttpRequest.newBuilder(URI.create(base + paths.get(i % paths.size())))
                        .timeout(Duration.ofSeconds(10)).GET().build();
            }
            HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() < 500) {
                ok++;
            }
        }
        System.out.println("  " + ok + " of " + n + " answered by v1 without a server error.");
    }
}
