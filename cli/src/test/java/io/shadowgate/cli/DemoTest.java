package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code shadowgate demo --exit} end to end, in process: built-in v1/v2 apps, the gateway mirroring to v2, 200
 * requests, the comparison report on stdout. The report must find exactly the deliberate difference of
 * {@code GET /api/products/{id}} and treat the {@code generatedAt} timestamp of every answer as noise.
 */
class DemoTest {

    @Test
    void demoReportNamesTheRealDifferenceAndIgnoresTheNoisyTimestamp() throws Exception {
        Run run = demo();
        assertThat(run.exitCode).as("exit code; stdout:%n%s", run.out).isZero();
        String out = run.out;
        assertThat(out).contains("Sending 200 requests through the gateway").contains("200 of 200 answered by v1");
        assertThat(out).as("the dashboard's address").containsPattern("  dashboard http://127\\.0\\.0\\.1:\\d+/ui/ ");

        List<String> lines = out.lines().toList();
        String verdict = lines.stream().filter(l -> l.contains("v2 matches v1 on")).findFirst().orElseThrow(
                () -> new AssertionError("no verdict line in:\n" + out));
        assertThat(verdict)
                .as("route verdict line")
                .contains("3 fields differ: $.price (type changed number→string: 100%", "$.inStock (missing in v2: 100%",
                        "$.available (added in v2: 100%")
                .doesNotContain("generatedAt")
                .contains("noisy field");
        // The route row: only GET /api/products/{id} differs, roughly 40% of the traffic, which fails the route.
        String routeRow = lines.get(lines.indexOf(verdict) - 1);
        assertThat(routeRow).as("route row").contains("200").endsWith("FAIL");

        // Every $.generatedAt field row in the per-group tables is decided noise: two v1 answers differ there too.
        List<String> generatedAtRows = lines.stream().filter(l -> l.startsWith("$.generatedAt")).toList();
        assertThat(generatedAtRows).as("generatedAt rows in:%n%s", out).isNotEmpty()
                .allSatisfy(row -> assertThat(row)
                        .matches("\\$\\.generatedAt\\s+value changed\\s+\\d+/\\d+\\s+(\\d+/\\d+|-)\\s+noise\\s.*"));
        assertThat(lines).filteredOn(l -> l.startsWith("$.price") || l.startsWith("$.inStock")
                        || l.startsWith("$.available"))
                .hasSize(3)
                .allSatisfy(row -> assertThat(row).matches("\\S+\\s+.+\\s+\\d+/\\d+\\s+(\\d+/\\d+|-)\\s+different\\s.*"));
        // The verdict is where the eye lands: the last line, after the report; with --exit, no "Try:" commands.
        List<String> printed = lines.stream().filter(l -> !l.isBlank()).toList();
        assertThat(printed.get(printed.size() - 1)).startsWith("Verdict: FAIL").contains("v2 matches v1 on");
        assertThat(out).doesNotContain("Try:");
        assertThat(lines).as("access-log lines in the demo's output").noneMatch(l -> l.startsWith("{"));
        assertThat(out).contains("access log off (--access-log stdout");
        // Why the route FAILs while some of its groups have too few comparisons of their own.
        assertThat(out).contains("INSUFFICIENT_DATA while its route has enough to decide");
        // Noise samples were sent (GET requests a second time to v1) and judged against.
        assertThat(out).containsPattern("noise: differs as often between two v1 answers( elsewhere on this route)? "
                + "\\(100%\\) as between v1 and v2");
    }

    @Test
    void printConfigShowsThePortsTheDemoUses() {
        Run run = capture("demo", "--print-config", "--listen", "127.0.0.1:18080", "--backend-ports", "19081,19082");
        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("port: {number: 18080, name: http, protocol: HTTP}")
                .contains("ports: {http: 19081}").contains("ports: {http: 19082}");
        Run defaults = capture("demo", "--print-config");
        assertThat(defaults.out).contains("number: 8080,").contains("ports: {http: 9081}")
                .contains("ports: {http: 9082}");
    }


    private record Run(int exitCode, String out) {
    }

    /**
     * Runs the demo with stdout captured. {@code --listen 127.0.0.1:0} is refused by the configuration validation
     * (the demo's Gateway resource would carry port 0), so a free port is picked here; a port taken in the meantime
     * is retried.
     */
    private static Run demo() throws IOException {
        Run last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            // No --access-log: the demo keeps the access log out of the terminal by default.
            last = capture("demo", "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:0", "--exit");
            if (last.exitCode == 0) {
                return last;
            }
        }
        return last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Run capture(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = Main.execute(args);
        } finally {
            System.setOut(original);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        original.print(text);
        return new Run(code, text);
    }
}
