package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The decoded request and response heads are forwarded with their header maps edited in place: what reaches the
 * other side must be what the copying code sent — lower-case names, hop-by-hop and Connection-listed headers gone,
 * framing regenerated, a generated {@code x-request-id} a version 4 UUID — and a retry on a new connection must
 * carry the same head as the first attempt.
 */
class InPlaceHeadersTest {

    private static ProxyServer start(ScriptedBackend b) {
        ClusterConfig c = Fixtures.cluster("v1", b.port());
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c), c), Fixtures.options().build(),
                new Fixtures.Logs());
    }

    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Upper: A\r\n"
            + "Connection: keep-alive, X-Secret\r\nX-Secret: s\r\nKeep-Alive: timeout=5\r\nProxy-Connection: x\r\n"
            + "Content-Type: text/plain\r\n\r\nok";

    @Test
    void requestAndResponseHeadsAreCleanedAndLowerCased() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((head, in, out) -> {
            ScriptedBackend.readBody(head, in);
            out.write(RESPONSE.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }); ProxyServer p = start(b); RawHttpClient c = RawHttpClient.connect(p.port())) {
            c.send("POST /in-place HTTP/1.1\r\nHost: a\r\nUser-Agent: test/1\r\nX-Forwarded-For: 10.0.0.1\r\n"
                    + "Connection: X-Private, keep-alive\r\nX-Private: p\r\nTE: trailers\r\nUpgrade: foo\r\n"
                    + "Keep-Alive: 5\r\nContent-Length: 3\r\nAccept: */*\r\n\r\nabc");
            RawResponse r = c.readResponse(Http.TIMEOUT);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(r.header("x-secret")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("proxy-connection")).isNull();
            assertThat(r.header("connection")).isNull();
            assertThat(r.header("x-upper")).isEqualTo("A");
            assertThat(r.headers()).extracting(Map.Entry::getKey)
                    .contains("content-length", "x-upper", "content-type").allMatch(n -> n.equals(n.toLowerCase()));

            ScriptedBackend.Head head = b.heads.get(0);
            String raw = head.raw();
            assertThat(raw).doesNotContainIgnoringCase("x-private").doesNotContainIgnoringCase("\r\nte:")
                    .doesNotContainIgnoringCase("upgrade").doesNotContainIgnoringCase("keep-alive")
                    .doesNotContainIgnoringCase("connection:");
            for (String line : raw.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("POST ")) {
                    assertThat(line.substring(0, colon)).isLowerCase();
                }
            }
            assertThat(head.header("user-agent")).isEqualTo("test/1");
            assertThat(head.header("accept")).isEqualTo("*/*");
            assertThat(head.header("content-length")).isEqualTo("3");
            assertThat(head.header("x-forwarded-for")).isEqualTo("10.0.0.1,127.0.0.1");
            assertThat(head.header("x-forwarded-proto")).isEqualTo("http");
            String id = head.header("x-request-id");
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
            assertThat(UUID.fromString(id).toString()).isEqualTo(id);

            // The same connection carries the next request with fresh state: nothing of the first one leaks.
            c.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(Http.TIMEOUT).statusCode()).isEqualTo(200);
            ScriptedBackend.Head second = b.heads.get(1);
            assertThat(second.header("user-agent")).isNull();
            assertThat(second.header("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(second.header("x-request-id")).isNotEqualTo(id);
        }
    }
}
