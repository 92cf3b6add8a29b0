package io.shadowgate.proxy.hardening;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.compile.SnapshotCompiler;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.ProxyObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for {@code shadowgate run} used by {@code e2e/slowhttptest.sh} when {@code SHADOWGATE_E2E_GATEWAY=testmain}
 * (a CLI without the newer limit flags): compiles the same YAML with the config module and serves it with the limits
 * given on the command line. Not a test; runs until killed.
 *
 * <pre>
 * java -cp … io.shadowgate.proxy.hardening.E2eGatewayMain -f cfg.yaml --listen 127.0.0.1:8080
 *     [--request-headers-timeout 2s] [--idle-timeout 5s] [--request-body-timeout 3s] [--response-send-timeout 3s]
 *     [--max-connections N]
 * </pre>
 */
public final class E2eGatewayMain {

    private E2eGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        String listen = "127.0.0.1:8080";
        ProxyOptions.Builder options = ProxyOptions.builder();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "-f" -> files.add(Path.of(v));
                case "--listen" -> listen = v;
                case "--request-headers-timeout" -> options.requestHeadersTimeout(duration(v));
                case "--idle-timeout" -> options.idleTimeout(duration(v));
                case "--request-body-timeout" -> options.requestBodyTimeout(duration(v));
                case "--response-send-timeout" -> options.responseSendTimeout(duration(v));
                case "--max-connections" -> options.maxConnectionsPerListener(Integer.parseInt(v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        int colon = listen.lastIndexOf(':');
        CompileResult result = SnapshotCompiler.compile(new ConfigLoader().load(files),
                CompileOptions.defaults().withListen(listen.substring(0, colon),
                        Integer.parseInt(listen.substring(colon + 1))));
        if (result.hasErrors()) {
            System.err.println("config rejected: " + result.diagnostics());
            System.exit(1);
        }
        ProxyServer proxy = ProxyServer.start(result.snapshot(), options.build(), ProxyObserver.NOOP,
                RandomSource.THREAD_LOCAL);
        System.out.println("e2e gateway serving on " + proxy.boundAddresses());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> proxy.shutdown(Duration.ofSeconds(1))));
        new CountDownLatch(1).await();
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}. */
    static Duration duration(String s) {
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> throw new IllegalArgumentException("duration " + s);
        };
    }
}
