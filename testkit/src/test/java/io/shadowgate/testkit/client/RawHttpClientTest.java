package io.shadowgate.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Response framing and connection-state reporting, against canned servers and against {@link TestBackend}. */
class RawHttpClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

    @Test
    void splitsChunkedContentLengthAndBodylessResponsesOnOneConnection() throws Exception {
        String canned = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\nwxyz"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        try (CannedServer server = new CannedServer(canned, false);
             RawHttpClient client = RawHttpClient.connect(server.port())) {
            client.send(GET);

            RawResponse chunked = client.readResponse(TIMEOUT);
            RawResponse noContent = client.readResponse(TIMEOUT);
            RawResponse created = client.readResponse(TIMEOUT);
            RawResponse empty = client.readResponse(TIMEOUT);

            assertThat(chunked.statusCode()).isEqualTo(200);
            assertThat(chunked.bodyText()).isEqualTo("abcde");
            assertThat(chunked.header("x-a")).isEqualTo("1");
            assertThat(chunked.complete()).isTrue();
            assertThat(chunked.raw()).endsWith("X-Trailer: t\r\n\r\n");
            assertThat(noContent.statusCode()).isEqualTo(204);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.bodyText()).isEqualTo("wxyz");
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.body()).isEmpty();
            assertThat(empty.closedByServer()).isFalse();
        }
    }

    @Test
    void readsUnframedBodyUntilClose() throws Exception {
        try (CannedServer server = new CannedServer("HTTP/1.0 200 OK\r\n\r\nuntil the end", true)) {
            RawResponse response = RawHttpClient.exchange(server.port(), GET, TIMEOUT);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("until the end");
            assertThat(response.complete()).isTrue();
            assertThat(response.closedByServer()).isTrue();
            assertThat(response.statusLine()).isEqualTo("HTTP/1.0 200 OK");
        }
    }

    @Test
    void reportsTruncatedResponses() throws Exception {
        try (CannedServer server = new CannedServer("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nonly this", true)) {
            RawResponse response = RawHttpClient.exchange(server.port(), GET, TIMEOUT);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.complete()).isFalse();
            assertThat(response.closedByServer()).isTrue();
            assertThat(response.bodyText()).isEqualTo("only this");
        }
    }

    @Test
    void reportsTruncatedHeads() throws Exception {
        try (CannedServer server = new CannedServer("HTTP/1.1 200 OK\r\nContent-Le", true)) {
            RawResponse response = RawHttpClient.exchange(server.port(), GET, TIMEOUT);

            assertThat(response.complete()).isFalse();
            assertThat(response.closedByServer()).isTrue();
            assertThat(response.raw()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Le");
        }
    }

    @Test
    void exchangeWaitsForAnnouncedClose() {
        try (TestBackend backend = TestBackend.start("raw")) {
            RawResponse closing = RawHttpClient.exchange(backend.port(),
                    "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", TIMEOUT);
            RawResponse keepAlive = RawHttpClient.exchange(backend.port(), GET, TIMEOUT);

            assertThat(closing.statusCode()).isEqualTo(200);
            assertThat(closing.closedByServer()).isTrue();
            assertThat(keepAlive.statusCode()).isEqualTo(200);
            assertThat(keepAlive.closedByServer()).isFalse();
            assertThat(keepAlive.timedOut()).isFalse();
        }
    }

    @Test
    void awaitServerCloseTimesOutOnAnOpenConnection() {
        try (TestBackend backend = TestBackend.start("raw");
             RawHttpClient client = RawHttpClient.connect(backend.port())) {
            assertThat(client.awaitServerClose(Duration.ofMillis(200))).isFalse();

            backend.closeConnections();

            assertThat(client.awaitServerClose(TIMEOUT)).isTrue();
            assertThat(client.serverClosed()).isTrue();
        }
    }

    @Test
    void sendsBytesVerbatim() {
        try (TestBackend backend = TestBackend.start("raw")) {
            // Header value with obs-text bytes, a real client library would refuse or re-encode it.
            RawResponse response = RawHttpClient.exchange(backend.port(),
                    "GET /v HTTP/1.1\r\nHost: t\r\nX-Bytes: caf\u00e9\r\nConnection: close\r\n\r\n", TIMEOUT);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(backend.awaitRequests(1, TIMEOUT).get(0).header("x-bytes")).isEqualTo("caf\u00e9");
        }
    }

    /** Accepts one connection, reads the request head, writes canned bytes, optionally closes. */
    private static final class CannedServer implements AutoCloseable {
        private final ServerSocket serverSocket;
        private final CompletableFuture<Socket> accepted = new CompletableFuture<>();

        CannedServer(String response, boolean closeAfter) throws IOException {
            serverSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> serve(response.getBytes(StandardCharsets.ISO_8859_1), closeAfter),
                    "canned-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return serverSocket.getLocalPort();
        }

        private void serve(byte[] response, boolean closeAfter) {
            try {
                Socket socket = serverSocket.accept();
                accepted.complete(socket);
                InputStream in = socket.getInputStream();
                // Read the head first: closing with unread bytes would turn our FIN into an RST.
                int matched = 0;
                byte[] end = {'\r', '\n', '\r', '\n'};
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                OutputStream out = socket.getOutputStream();
                out.write(response);
                out.flush();
                if (closeAfter) {
                    socket.close();
                }
            } catch (IOException e) {
                // close() ran first or the client went away: nothing left to serve.
            }
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
            Socket socket = accepted.getNow(null);
            if (socket != null) {
                socket.close();
            }
        }
    }
}
