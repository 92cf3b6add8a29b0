package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.compile.SnapshotCompiler;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real gateway built from Istio YAML the way {@code shadowgate run} builds it: {@link ConfigLoader#loadString},
 * {@link SnapshotCompiler#compile} (mesh listener on {@code 127.0.0.1:0} unless told otherwise), then
 * {@link ProxyServer#start}. Any ERROR diagnostic fails the test with every diagnostic listed, so a fixture that does
 * not compile can never pass as "the gateway answered 404".
 *
 * <p>Every finished request's {@link RequestLog} is kept (the observer is called on event loops, so the log is a
 * concurrent queue); tests find theirs by {@code x-request-id}, which the proxy preserves.
 */
final class YamlGateway implements AutoCloseable {

    private final RoutingSnapshot snapshot;
    private final ProxyServer server;
    private final ConcurrentLinkedQueue<RequestLog> logs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connectionsOpened = new AtomicInteger();

    private YamlGateway(Builder b) {
        LoadResult loaded = new ConfigLoader().loadString("test.yaml", b.yaml);
        CompileResult compiled = SnapshotCompiler.compile(loaded,
                CompileOptions.defaults().withListen("127.0.0.1", b.listenPort));
        List<Diagnostic> errors = compiled.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty() || compiled.snapshot() == null) {
            fail("the YAML fixture does not compile:\n" + compiled.diagnostics().stream().map(Diagnostic::format)
                    .collect(Collectors.joining("\n")) + "\n--- yaml ---\n" + b.yaml);
        }
        this.snapshot = compiled.snapshot();
        ProxyObserver recorder = new ProxyObserver() {
            @Override
            public void onRequest(RequestLog log) {
                logs.add(log);
            }

            @Override
            public void onConnection(int listenerPort, int delta) {
                if (delta > 0) {
                    connectionsOpened.incrementAndGet();
                }
            }
        };
        this.server = ProxyServer.start(snapshot, b.options, recorder, b.random);
    }

    /** A gateway for {@code yaml} with the defaults (two event loops, ThreadLocalRandom, mesh listener port 0). */
    static YamlGateway start(String yaml) {
        return builder(yaml).start();
    }

    static Builder builder(String yaml) {
        return new Builder(yaml);
    }

    /** The real port of the first listener (the mesh listener, or the first Gateway server port). */
    int port() {
        return server.port();
    }

    /** The real port of the listener configured as {@code configuredPort} (Gateway mode: the same number). */
    int port(int configuredPort) {
        List<ListenerConfig> ls = snapshot.listeners();
        List<InetSocketAddress> bound = server.boundAddresses();
        for (int i = 0; i < ls.size(); i++) {
            if (ls.get(i).port() == configuredPort) {
                return bound.get(i).getPort();
            }
        }
        throw new AssertionError("no listener for port " + configuredPort + " in " + ls);
    }

    ProxyServer server() {
        return server;
    }

    RoutingSnapshot snapshot() {
        return snapshot;
    }

    /** Client connections accepted by the gateway so far. */
    int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** Every request log so far. */
    List<RequestLog> logs() {
        return List.copyOf(logs);
    }

    /** Waits (at most 5 s) for the log of the request with {@code x-request-id: requestId}. */
    RequestLog log(String requestId) {
        return awaitLog(l -> requestId.equals(l.requestId()), "request id " + requestId);
    }

    /** Waits (at most 5 s) for a log satisfying {@code p}. */
    RequestLog awaitLog(Predicate<RequestLog> p, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (RequestLog l : logs) {
                if (p.test(l)) {
                    return l;
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no request log for " + what + " within 5 s; logs: " + logs);
    }

    /** Asserts the flags of the request {@code requestId} ({@code "-"} for none). */
    void assertFlags(String requestId, String flags) {
        assertThat(log(requestId).flags()).as("response flags of " + requestId).isEqualTo(flags);
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1));
    }

    static final class Builder {
        private final String yaml;
        private ProxyOptions options = ProxyOptions.builder().ioThreads(2).drainTimeout(Duration.ofSeconds(2)).build();
        private RandomSource random = RandomSource.THREAD_LOCAL;
        private int listenPort;

        private Builder(String yaml) {
            this.yaml = yaml;
        }

        Builder options(ProxyOptions o) {
            options = o;
            return this;
        }

        Builder random(RandomSource r) {
            random = r;
            return this;
        }

        /** The mesh-mode listener port (default 0: ephemeral). */
        Builder listenPort(int port) {
            listenPort = port;
            return this;
        }

        YamlGateway start() {
            return new YamlGateway(this);
        }
    }
}
