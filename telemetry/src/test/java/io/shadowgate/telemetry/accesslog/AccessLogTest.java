package io.shadowgate.telemetry.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.telemetry.Logs;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonLineHasEveryKeyInOrder() throws IOException {
        String line = AccessLogFormat.JSON.format(Logs.primary("req-1", "v1", 200, 42));
        JsonNode n = JSON.readTree(line);
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("start_time", "method", "path", "protocol", "response_code",
                "response_flags", "bytes_received", "bytes_sent", "duration", "upstream_host", "upstream_cluster",
                "route_name", "x_request_id", "trace_id", "authority", "user_agent", "downstream_remote_address",
                "mirror", "mirror_outcome");
        assertThat(n.get("start_time").asText()).isEqualTo("2025-01-01T12:00:00.123Z");
        assertThat(n.get("method").asText()).isEqualTo("GET");
        assertThat(n.get("path").asText()).isEqualTo("/api/v1/reviews?x=1");
        assertThat(n.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(n.get("response_code").asInt()).isEqualTo(200);
        assertThat(n.get("response_flags").asText()).isEqualTo("-");
        assertThat(n.get("bytes_received").asLong()).isEqualTo(12);
        assertThat(n.get("bytes_sent").asLong()).isEqualTo(345);
        assertThat(n.get("duration").asLong()).isEqualTo(42);
        assertThat(n.get("upstream_host").asText()).isEqualTo("127.0.0.1:9080");
        assertThat(n.get("upstream_cluster").asText()).isEqualTo("outbound|80|v1|reviews.default.svc.cluster.local");
        assertThat(n.get("route_name").asText()).isEqualTo("reviews-route");
        assertThat(n.get("x_request_id").asText()).isEqualTo("req-1");
        assertThat(n.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(n.get("authority").asText()).isEqualTo("reviews.example.com");
        assertThat(n.get("user_agent").asText()).isEqualTo("curl/8.5.0");
        assertThat(n.get("downstream_remote_address").asText()).isEqualTo("10.0.0.7");
        assertThat(n.get("mirror").asBoolean()).isFalse();
        assertThat(n.get("mirror_outcome").isNull()).isTrue();

        JsonNode m = JSON.readTree(AccessLogFormat.JSON.format(Logs.mirror("req-1", 0, "timeout", 10_000)));
        assertThat(m.get("mirror").asBoolean()).isTrue();
        assertThat(m.get("mirror_outcome").asText()).isEqualTo("timeout");
        assertThat(m.get("response_flags").asText()).isEqualTo("UT");
        assertThat(m.get("route_name").isNull()).isTrue();
    }

    @Test
    void textLineFollowsEnvoysDefaultFormat() {
        String line = AccessLogFormat.TEXT.format(Logs.primary("req-1", "v1", 200, 42));
        assertThat(line).isEqualTo("[2025-01-01T12:00:00.123Z] \"GET /api/v1/reviews?x=1 HTTP/1.1\" 200 - 12 345 42 "
                + "- \"-\" \"curl/8.5.0\" \"req-1\" \"reviews.example.com\" \"127.0.0.1:9080\" "
                + "outbound|80|v1|reviews.default.svc.cluster.local 10.0.0.7 reviews-route "
                + "\"4bf92f3577b34da6a3ce929d0e0e4736\" -");
        // The Envoy grok pattern (fields 1-15) still parses it.
        assertThat(line).matches("\\[[^]]+] \"\\S+ \\S+ \\S+\" \\d+ \\S+ \\d+ \\d+ \\d+ \\S+ \"[^\"]*\" \"[^\"]*\" "
                + "\"[^\"]*\" \"[^\"]*\" \"[^\"]*\".*");

        String mirror = AccessLogFormat.TEXT.format(Logs.mirror("req-1", 0, "timeout", 10_000));
        assertThat(mirror).startsWith("[2025-01-01T12:00:00.124Z] \"GET /api/v1/reviews?x=1 HTTP/1.1\" 0 UT 12 300 "
                + "10000 - ");
        assertThat(mirror).endsWith(" - \"4bf92f3577b34da6a3ce929d0e0e4736\" mirror:timeout");
        assertThat(mirror).contains("\"req-1\"");
    }

    @Test
    void textEscapesControlCharactersAndPrintsDashes() {
        RequestLog l = new RequestLog(Instant.parse("2025-01-01T00:00:00Z"), "GET", "/a\nb", "h", "HTTP/1.1", 404,
                "NR", 0, 0, 0, null, null, null, null, "id", null, null, null, Map.of(), null, false, null,
                "1.2.3.4", "evil\r\nagent");
        String line = AccessLogFormat.TEXT.format(l);
        assertThat(line).doesNotContain("\n", "\r");
        assertThat(line).contains("\"GET /a b HTTP/1.1\" 404 NR 0 0 0 - \"-\" \"evil  agent\" \"id\" \"h\" \"-\" - "
                + "1.2.3.4 - \"-\" -");
    }

    @Test
    void writesToFileBothLinesWithTheSameRequestId() throws IOException {
        Path file = dir.resolve("logs/access.log");
        try (AccessLog log = AccessLog.create(file.toString(), "json")) {
            log.onRequest(Logs.primary("req-42", "v1", 200, 5));
            log.onMirror(Logs.mirror("req-42", 200, "completed", 6));
            log.onRequest(Logs.primary("req-43", "v1", 200, 5));
            assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(log.written()).isEqualTo(3);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        List<String> grep = lines.stream().filter(x -> x.contains("req-42")).toList();
        assertThat(grep).hasSize(2);
        assertThat(JSON.readTree(grep.get(0)).get("mirror").asBoolean()).isFalse();
        assertThat(JSON.readTree(grep.get(1)).get("mirror").asBoolean()).isTrue();
    }

    @Test
    void appendsToAnExistingFile() throws IOException {
        Path file = dir.resolve("a.log");
        Files.writeString(file, "old\n");
        try (AccessLog log = AccessLog.create(file.toString(), "text")) {
            log.onRequest(Logs.primary("x", "v1", 200, 1));
        }
        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("old");
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Writer slow = new StringWriter() {
            @Override
            public void write(String str) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.write(str);
            }
        };
        try (AccessLog log = AccessLog.toWriter(slow, AccessLogFormat.JSON, 4, false)) {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                log.onRequest(Logs.primary("r" + i, "v1", 200, 1));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(log.dropped()).isGreaterThanOrEqualTo(80);
            release.countDown();
            assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(log.written() + log.dropped()).isEqualTo(100);
        }
    }

    @Test
    void offAndBadArguments() {
        try (AccessLog off = AccessLog.create("off", "json")) {
            off.onRequest(Logs.primary("x", "v1", 200, 1));
            assertThat(off.enabled()).isFalse();
            assertThat(off.written()).isZero();
        }
        assertThatThrownBy(() -> AccessLog.create("stdout", "xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("json or text");
        assertThat(AccessLogFormat.parse(null)).isEqualTo(AccessLogFormat.JSON);
    }
}
