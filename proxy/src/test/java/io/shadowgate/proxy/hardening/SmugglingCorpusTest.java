package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every case of the raw corpus ({@code smuggling-corpus.txt}) to a real gateway over a socket and checks the
 * answer (status, connection closed) and — after all cases, once every upstream connection is closed so that cut-off
 * requests are recorded too — what the backend received: nothing, at most one incomplete request, or exactly one
 * complete request per case, and never a request the client tried to smuggle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmugglingCorpusTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static TestBackend backend;
    private static ProxyServer proxy;

    static List<RawCorpus.Case> cases() {
        return RawCorpus.load();
    }

    @BeforeAll
    static void start() {
        backend = TestBackend.builder().name("corpus").start();
        ClusterConfig c = Fixtures.cluster("v1", backend.port());
        proxy = Fixtures.start(Fixtures.snapshot(Fixtures.forward(c), c), Fixtures.options()
                // Long enough that a 70 KB header block on a loaded machine is rejected for its size (431), not
                // for its time (408); only the two cases whose head never ends wait for it.
                .requestHeadersTimeout(Duration.ofSeconds(2))
                .requestBodyTimeout(Duration.ofSeconds(2))
                .maxRequestBodyBytes(1024 * 1024)
                .build(), new Fixtures.Logs());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    @Order(0)
    void corpusIsLargeEnough() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(cases().stream().map(RawCorpus.Case::id).distinct().count()).isEqualTo(cases().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void answersAndCloses(RawCorpus.Case c) {
        List<RawResponse> responses = new ArrayList<>();
        boolean closed;
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(c.request());
            for (int i = 0; i < c.statuses().size(); i++) {
                responses.add(client.readResponse(TIMEOUT));
            }
            RawResponse last = responses.get(responses.size() - 1);
            if (c.mustClose() && !last.closedByServer()) {
                // Wait for the close after the response (the next read sees the end of the stream).
                last = client.readResponse(TIMEOUT);
                closed = last.closedByServer() && last.statusCode() == -1 && !last.timedOut();
            } else {
                closed = last.closedByServer();
            }
        }
        List<Integer> statuses = responses.stream().map(RawResponse::statusCode).toList();
        assertThat(statuses).as("statuses of %s: %s", c.id(), responses).isEqualTo(c.statuses());
        if (c.mustClose()) {
            assertThat(closed).as("%s: the gateway must close the connection", c.id()).isTrue();
            RawResponse last = responses.get(responses.size() - 1);
            assertThat(last.header("connection")).as("%s: Connection: close", c.id()).isEqualToIgnoringCase("close");
        }
    }

    @Test
    @Order(2)
    void backendNeverSawASmuggledOrCompletedBadRequest() throws InterruptedException {
        // Close the gateway: its pooled upstream connections close, so the backend records every cut-off request.
        proxy.close();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (backend.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Map<String, List<RecordedRequest>> byPath = backend.requests().stream()
                .collect(Collectors.groupingBy(RecordedRequest::path));
        List<String> problems = new ArrayList<>();
        for (RawCorpus.Case c : cases()) {
            List<RecordedRequest> seen = byPath.getOrDefault(c.path(), List.of());
            switch (c.backend()) {
                case NONE -> {
                    if (!seen.isEmpty()) {
                        problems.add(c.id() + ": expected nothing upstream, got " + seen);
                    }
                }
                case PARTIAL -> {
                    if (seen.size() > 1 || seen.stream().anyMatch(RecordedRequest::complete)) {
                        problems.add(c.id() + ": expected at most one incomplete request, got " + seen);
                    }
                }
                case ONE -> {
                    if (seen.size() != 1 || !seen.get(0).complete()) {
                        problems.add(c.id() + ": expected exactly one complete request, got " + seen);
                    }
                }
            }
        }
        for (String path : byPath.keySet()) {
            if (cases().stream().noneMatch(c -> c.path().equals(path))) {
                problems.add("a request the client tried to smuggle reached the backend: " + byPath.get(path));
            }
        }
        assertThat(problems).isEmpty();
        // The valid GET with a body that looks like a request: forwarded as a body, with generated framing.
        RecordedRequest getWithBody = byPath.get("/c/ok-get-with-body").get(0);
        assertThat(getWithBody.bodyBytes()).isEqualTo(35);
        assertThat(getWithBody.header("content-length")).isEqualTo("35");
    }
}
