package io.shadowgate.proxy.hardening.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.mirror.MirrorDispatcher;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.SnapshotHolder;
import io.shadowgate.proxy.runtime.Transport;
import io.shadowgate.proxy.server.ClientChannelInitializer;
import io.shadowgate.proxy.server.ProxyRuntime;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.upstream.ClusterManager;
import io.shadowgate.proxy.upstream.ConnectionPool;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the client request path: bytes go into the real client pipeline ({@link ClientChannelInitializer}: read
 * activity, raw scanner, HTTP codec, strict validator, stall guard, frontend, exchange) inside an
 * {@link EmbeddedChannel}. The route answers locally (a direct response), so every input is handled entirely by the
 * gateway's own code, deterministically.
 *
 * <p>Properties checked for every input:
 * <ul>
 *   <li>no exception escapes the pipeline, and none is swallowed either (the frontend logs unexpected errors as
 *       WARN; any WARN or ERROR from the data path fails the input);</li>
 *   <li>everything written to the client parses as a sequence of complete, well-formed HTTP/1.1 responses
 *       (status line, token header names, CL or chunked framing), and nothing follows a {@code Connection: close}
 *       response (or, for the HTTP/2 prior-knowledge preface, one SETTINGS and one GOAWAY frame and nothing
 *       after);</li>
 *   <li>the outcome does not depend on how the bytes are split into reads: the input is fed whole, split in two,
 *       and (when short) byte by byte, and the status sequences must be equal;</li>
 *   <li>no {@code ByteBuf} leaks (paranoid leak detection with the testkit's failing detector, checked after the
 *       class).</li>
 * </ul>
 *
 * <p>Regression mode ({@code ./mvnw verify}) replays the seed corpus in
 * {@code src/test/resources/io/shadowgate/proxy/hardening/fuzz/RequestPathFuzzTestInputs/requestPath/}. To fuzz,
 * see {@code docs/hardening.md} ({@code JAZZER_FUZZ=1}, time-bounded by {@code maxDuration}).
 */
class RequestPathFuzzTest {

    private static Env env;
    static boolean DEBUG = false;

    /** Shared runtime: built once (fuzzing runs millions of inputs in one JVM). */
    static final class Env {
        final EventLoopGroup group;
        final ClusterManager clusters;
        final ProxyRuntime runtime;
        final ListAppender<ILoggingEvent> logs = new ListAppender<>();

        Env() {
            ProxyOptions options = ProxyOptions.builder()
                    .maxHeaderCount(20)
                    .maxRequestBodyBytes(4096)
                    .requestHeadersTimeout(Duration.ofSeconds(1))
                    .requestBodyTimeout(Duration.ofSeconds(1))
                    .build();
            RoutingSnapshot snapshot = directResponseSnapshot();
            Transport transport = Transport.best();
            group = transport.newGroup(1, "fuzz");
            clusters = new ClusterManager(group, transport, Duration.ofMinutes(5));
            clusters.update(snapshot);
            ConnectionPool primary = new ConnectionPool(transport, false, "primary");
            ConnectionPool mirror = new ConnectionPool(transport, true, "mirror");
            MirrorDispatcher mirrors = new MirrorDispatcher(options, clusters, mirror, ProxyObserver.NOOP);
            runtime = new ProxyRuntime(options, new SnapshotHolder(snapshot), clusters, primary, mirrors,
                    ProxyObserver.NOOP, RandomSource.THREAD_LOCAL, RequestTracer.NOOP);
            logs.start();
            Logger dataPath = (Logger) LoggerFactory.getLogger("io.shadowgate.proxy");
            dataPath.addAppender(logs);
        }

        void close() {
            clusters.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            ((Logger) LoggerFactory.getLogger("io.shadowgate.proxy")).detachAppender(logs);
        }
    }

    static synchronized Env env() {
        if (env == null) {
            env = new Env();
        }
        return env;
    }

    @AfterAll
    static synchronized void closeEnv() {
        if (env != null) {
            env.close();
            env = null;
        }
    }

    @FuzzTest(maxDuration = "100s")
    void requestPath(byte[] input) {
        Env e = env();
        e.logs.list.clear();
        List<Integer> whole = run(e, input, new int[] {input.length});
        List<Integer> split = run(e, input, new int[] {input.length / 3, input.length - input.length / 3});
        assertThat(split).as("statuses must not depend on read boundaries: %s", printable(input)).isEqualTo(whole);
        if (input.length <= 512) {
            int[] single = new int[input.length]; // every byte its own read: the scanner's state survives read boundaries
            java.util.Arrays.fill(single, 1);
            assertThat(run(e, input, single)).as("statuses, one byte per read: %s", printable(input))
                    .isEqualTo(whole);
        }
        List<ILoggingEvent> problems = e.logs.list.stream()
                .filter(ev -> ev.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertThat(problems).as("warnings or errors from the data path").isEmpty();
    }

    private static String printable(byte[] input) {
        StringBuilder sb = new StringBuilder();
        for (byte b : input) {
            int c = b & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    /** Feeds {@code input} in reads of the given sizes, then lets every timer fire; returns the response statuses. */
    static List<Integer> run(Env e, byte[] input, int[] reads) {
        FuzzChannel ch = new FuzzChannel(new ClientChannelInitializer(e.runtime, 8080,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int offset = 0;
            for (int n : reads) {
                if (n <= 0 || !ch.isOpen()) {
                    continue;
                }
                ch.writeInbound(Unpooled.wrappedBuffer(input, offset, n));
                offset += n;
                drain(ch, out);
            }
            // Let the request-headers and body timeouts fire.
            ch.advanceTimeBy(10, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
            drain(ch, out);
        } finally {
            ch.finishAndReleaseAll();
        }
        if (DEBUG) {
            System.out.println("OUT[" + reads.length + "]: " + printable(out.toByteArray()));
        }
        return Responses.parse(out.toByteArray());
    }

    private static void drain(EmbeddedChannel ch, ByteArrayOutputStream out) {
        ch.runPendingTasks();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof ByteBuf buf) {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                out.writeBytes(b);
                buf.release();
            } else {
                io.netty.util.ReferenceCountUtil.release(o);
                throw new AssertionError("non-ByteBuf written to the client: " + o);
            }
        }
    }

    private static RoutingSnapshot directResponseSnapshot() {
        RouteConfig route = new RouteConfig("direct", new RouteOrigin("default", "vs", 0, -1, null, null, 0),
                RequestMatcher.ANY, new DirectResponseAction(200, new byte[0], HeaderOps.NONE), null);
        RouteTable table = new RouteTable(List.of(new VirtualHostConfig("*:8080", List.of("*"), List.of(route))));
        return new RoutingSnapshot("sha256:fuzz", Instant.now(), List.of("fuzz"),
                List.of(new ListenerConfig("0.0.0.0_8080", "0.0.0.0", 8080, List.of(), table)), Map.of(), List.of());
    }

    /** An embedded channel with socket addresses, as the frontend expects from a real connection. */
    static final class FuzzChannel extends EmbeddedChannel {
        FuzzChannel(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 8080);
        }
    }

    /** A strict parser of what the gateway writes: a sequence of complete HTTP/1.1 responses, nothing else. */
    static final class Responses {
        /** An empty SETTINGS frame: the start of the gateway's answer to the HTTP/2 prior-knowledge preface. */
        private static final String HTTP2_REFUSAL_START = "\0\0\0\u0004\0\0\0\0\0";

        private Responses() {
        }

        static List<Integer> parse(byte[] bytes) {
            String s = new String(bytes, StandardCharsets.ISO_8859_1);
            List<Integer> statuses = new ArrayList<>();
            int p = 0;
            boolean closed = false;
            while (p < s.length()) {
                assertThat(closed).as("bytes after a Connection: close response: %s", s).isFalse();
                if (s.startsWith(HTTP2_REFUSAL_START, p)) {
                    // The HTTP/2 preface is refused in frames (Http2Refusal): SETTINGS, then GOAWAY, then nothing.
                    int goAway = p + HTTP2_REFUSAL_START.length();
                    assertThat(s.length()).as("incomplete GOAWAY in %s", s).isGreaterThanOrEqualTo(goAway + 9);
                    int length = (s.charAt(goAway) << 16) | (s.charAt(goAway + 1) << 8) | s.charAt(goAway + 2);
                    assertThat((int) s.charAt(goAway + 3)).as("GOAWAY frame type in %s", s).isEqualTo(7);
                    assertThat(s.length()).as("exactly one GOAWAY, nothing after it, in %s", s)
                            .isEqualTo(goAway + 9 + length);
                    statuses.add(0);
                    return statuses;
                }
                int headEnd = s.indexOf("\r\n\r\n", p);
                assertThat(headEnd).as("incomplete response head in %s", s).isGreaterThanOrEqualTo(0);
                String[] lines = s.substring(p, headEnd).split("\r\n", -1);
                assertThat(lines[0]).as("status line").matches("HTTP/1\\.1 [1-5][0-9][0-9] [^\r\n]*");
                int status = Integer.parseInt(lines[0].substring(9, 12));
                long length = -1;
                boolean chunked = false;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    assertThat(colon).as("header line %s", lines[i]).isGreaterThan(0);
                    String name = lines[i].substring(0, colon);
                    assertThat(name).as("header name").matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
                    String value = lines[i].substring(colon + 1).trim();
                    assertThat(value.chars().noneMatch(c -> c < 0x20 && c != '\t')).as("header value").isTrue();
                    switch (name.toLowerCase(Locale.ROOT)) {
                        case "content-length" -> {
                            assertThat(length).as("one content-length").isEqualTo(-1);
                            length = Long.parseLong(value);
                        }
                        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                        case "connection" -> closed = value.equalsIgnoreCase("close");
                        default -> {
                        }
                    }
                }
                p = headEnd + 4;
                if (status >= 100 && status < 200) {
                    closed = false;
                    continue;
                }
                statuses.add(status);
                assertThat(length >= 0 || chunked).as("framed response").isTrue();
                assertThat(length >= 0 && chunked).as("CL and chunked together").isFalse();
                if (chunked) {
                    p = skipChunked(s, p);
                } else if (length > 0 && !s.startsWith("HTTP/1.1 ", p)) {
                    // (A response to HEAD announces a length but carries no body.)
                    assertThat((long) s.length() - p).as("body of %s bytes", length).isGreaterThanOrEqualTo(length);
                    p += (int) length;
                }
            }
            return statuses;
        }

        private static int skipChunked(String s, int p) {
            while (true) {
                int eol = s.indexOf("\r\n", p);
                assertThat(eol).as("chunk size line").isGreaterThan(p);
                int size = Integer.parseInt(s.substring(p, eol), 16);
                p = eol + 2;
                if (size == 0) {
                    assertThat(s.startsWith("\r\n", p)).as("end of chunked body").isTrue();
                    return p + 2;
                }
                p += size;
                assertThat(s.startsWith("\r\n", p)).as("chunk end").isTrue();
                p += 2;
            }
        }
    }
}
