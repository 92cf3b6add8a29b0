package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB upload and a 1 GiB download through the gateway (Content-Length framing), each checked by SHA-256 at the
 * far end, with memory bounded: the gateway and the backend run in this JVM, so a proxy that buffered the body would
 * show in the heap (sampled every few milliseconds after a {@code System.gc()}) or in Netty's pooled direct memory.
 * The client side streams from and into fixed 64 KiB arrays, so it adds nothing.
 */
class LargeTransferTest {

    static final long SIZE = Long.getLong("shadowgate.test.largeTransferBytes", 1L << 30);
    private static final long HEAP_LIMIT = 256L * 1024 * 1024;
    private static final long DIRECT_LIMIT = 64L * 1024 * 1024;

    private static TestBackend backend;
    private static YamlGateway gw;

    @BeforeAll
    static void start() {
        backend = TestBackend.builder().name("big").recordBodyBytes(0).start();
        gw = YamlGateway.start(Yaml.serviceEntry("big", "big.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: big, namespace: default}
                spec:
                  hosts: [big.example.com]
                  http: [{route: [{destination: {host: big.backends.internal}}]}]
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    @Test
    void oneGibUploadWithBoundedMemory() throws Exception {
        try (MemorySampler mem = MemorySampler.start(); RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            long t0 = System.nanoTime();
            raw.send(("POST /upload HTTP/1.1\r\nHost: big.example.com\r\nx-request-id: big-up\r\n"
                    + "Content-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            try (InputStream body = BodyPattern.stream(SIZE)) {
                // RawHttpClient.send writes the array exactly; a full-size slice is reused for every chunk.
                byte[] exact = chunk;
                int n;
                while ((n = body.readNBytes(chunk, 0, chunk.length)) > 0) {
                    if (n != exact.length) {
                        exact = java.util.Arrays.copyOf(chunk, n);
                    }
                    raw.send(exact);
                }
            }
            RawResponse r = raw.readResponse(Duration.ofSeconds(60));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            mem.stop();
            assertThat(r.statusCode()).isEqualTo(200);
            RecordedRequest up = backend.requests().stream().filter(q -> "big-up".equals(q.header("x-request-id")))
                    .findFirst().orElseThrow();
            assertThat(up.bodyBytes()).isEqualTo(SIZE);
            assertThat(up.bodySha256()).isEqualTo(BodyPattern.sha256Hex(SIZE));
            assertThat(up.complete()).isTrue();
            System.out.printf(Locale.ROOT, "upload %d MiB in %d ms; %s%n", SIZE >> 20, ms, mem);
            mem.assertBounded(HEAP_LIMIT, DIRECT_LIMIT);
        }
    }

    @Test
    void oneGibDownloadWithBoundedMemory() throws Exception {
        try (MemorySampler mem = MemorySampler.start();
             Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port())) {
            s.setSoTimeout(60_000);
            long t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            out.write(("GET /download HTTP/1.1\r\nHost: big.example.com\r\nx-request-id: big-down\r\n"
                    + "x-testkit-body-bytes: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("content-length: " + SIZE + "\r\n");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long left = SIZE;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                left -= n;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            mem.stop();
            assertThat(left).as("bytes missing").isZero();
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(BodyPattern.sha256Hex(SIZE));
            System.out.printf(Locale.ROOT, "download %d MiB in %d ms; %s%n", SIZE >> 20, ms, mem);
            mem.assertBounded(HEAP_LIMIT, DIRECT_LIMIT);
            assertThat(gw.log("big-down").bytesSent()).isEqualTo(SIZE);
        }
    }

    /** Reads a response head byte by byte (it is small) up to and including the empty line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** Samples used heap (Runtime) and Netty's used direct memory on a daemon thread; keeps the maxima. */
    static final class MemorySampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private final long heapBaseline;
        private final long directBaseline;
        private volatile long maxHeap;
        private volatile long maxDirect;
        private volatile int samples;

        private MemorySampler() {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            heapBaseline = rt.totalMemory() - rt.freeMemory();
            directBaseline = directUsed();
            thread = new Thread(this::run, "memory-sampler");
            thread.setDaemon(true);
        }

        static MemorySampler start() {
            MemorySampler m = new MemorySampler();
            m.thread.start();
            return m;
        }

        private void run() {
            Runtime rt = Runtime.getRuntime();
            while (running) {
                long used = rt.totalMemory() - rt.freeMemory();
                if (used > maxHeap) {
                    maxHeap = used;
                }
                long direct = directUsed();
                if (direct > maxDirect) {
                    maxDirect = direct;
                }
                samples++;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * Direct memory held by Netty's default (adaptive, pooling) allocator. It keeps chunks after release, so the
         * growth over the baseline is the most the transfer ever needed at once (shared by gateway and backend).
         */
        private static long directUsed() {
            if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
                return p.metric().usedDirectMemory();
            }
            return 0;
        }

        void stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void assertBounded(long heapLimit, long directLimit) {
            assertThat(samples).as("memory samples taken").isGreaterThan(10);
            assertThat(maxHeap).as("max used heap (baseline " + (heapBaseline >> 20) + " MiB)")
                    .isLessThanOrEqualTo(heapLimit);
            assertThat(maxDirect - directBaseline).as("growth of pooled direct memory").isLessThanOrEqualTo(directLimit);
        }

        @Override
        public void close() {
            stop();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap baseline %d MiB, max %d MiB; direct baseline %d MiB, max %d MiB;"
                    + " %d samples", heapBaseline >> 20, maxHeap >> 20, directBaseline >> 20, maxDirect >> 20, samples);
        }
    }
}
