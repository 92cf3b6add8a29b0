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
                .contains("3 fields differ: $.price (type changed number→string), $.inStock (missing in v2), "
                        + "$.available (added in v2)")
                .doesNotContain("generatedAt")
                .contains("noisy field");
        // The route row: only GET /api/products/{id} differs, roughly 40% of the traffic, which fails the route.
        String routeRow = lines.get(lines.indexOf(verdict) - 1);
        assertThat(routeRow).as("route row").contains("200").endsWith("FAIL");

        // Every $.generatedAt field row in the per-group tables is marked as noise.
        List<String> generatedAtRows = lines.stream().filter(l -> l.startsWith("$.generatedAt")).toList();
        assertThat(generatedAtRows).as("generatedAt rows in:%n%s", out).isNotEmpty()
                .allSatisfy(row -> assertThat(row).matches("\\$\\.generatedAt\\s+value changed\\s+\\d+\\s+yes\\s.*"));
        assertThat(lines).filteredOn(l -> l.startsWith("$.price") || l.startsWith("$.inStock")
                        || l.startsWith("$.available"))
                .hasSize(3)
                .allSatisfy(row -> assertThat(row).matches("\\S+\\s+.+\\s+\\d+\\s+no\\s.*"));
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
            last = capture("demo", "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:0", "--exit",
                    "--access-log", "off");
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
