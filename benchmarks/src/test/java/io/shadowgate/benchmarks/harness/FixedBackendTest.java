package io.shadowgate.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.benchmarks.backend.FixedBackend;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixed-response backend answers GETs, bodies (length and chunked) and its counters; a handful of requests. */
class FixedBackendTest {

    @Test
    void answersFixedBodyOnKeepAliveAndCountsRequests() throws Exception {
        try (FixedBackend b = new FixedBackend(1, List.of(
                new FixedBackend.Listener(new InetSocketAddress("127.0.0.1", 0), 0),
                new FixedBackend.Listener(new InetSocketAddress("127.0.0.1", 0), 50)))) {
            int fast = b.port(0);
            try (Socket s = new Socket("127.0.0.1", fast)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 2").endsWith("ok");
                byte[] body = new byte[100_000];
                out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                assertThat(readResponse(in)).endsWith("ok");
                out.write("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readResponse(in)).endsWith("ok");
            }
            assertThat(b.listeners().get(0).requests()).isEqualTo(3);
            assertThat(RawHttp.backendRequests(fast)).isEqualTo(3);

            long t0 = System.nanoTime();
            assertThat(RawHttp.get(b.port(1), "/", "x", List.of()).body()).isEqualTo("ok");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(45);
        }
    }

    /** One response with a 2-byte or JSON body, read by Content-Length. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int contentLength = -1;
        int headerEnd = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            buf.write(c);
            String text = buf.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
                headerEnd = text.length();
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
            if (headerEnd >= 0 && text.length() - headerEnd >= contentLength) {
                return text;
            }
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
