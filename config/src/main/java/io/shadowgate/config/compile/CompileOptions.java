package io.shadowgate.config.compile;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How to compile.
 *
 * @param defaultListenHost address of the mesh-mode listener, and of Gateway servers without {@code bind}
 *                          ({@code 0.0.0.0})
 * @param defaultListenPort port of the mesh-mode listener (used when there is no Gateway resource; 8080)
 * @param domainSuffix      the cluster domain short names resolve into ({@code cluster.local})
 * @param sourceNames       the files (or {@code built-in}) the resources came from, recorded in the snapshot
 * @param clock             the clock for {@code compiledAt} (injected, so snapshots are reproducible in tests)
 */
public record CompileOptions(String defaultListenHost, int defaultListenPort, String domainSuffix,
                             List<String> sourceNames, Clock clock) {

    public CompileOptions {
        Objects.requireNonNull(defaultListenHost, "defaultListenHost");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        Objects.requireNonNull(clock, "clock");
        if (defaultListenPort < 0 || defaultListenPort > 65535) {
            throw new IllegalArgumentException("defaultListenPort: " + defaultListenPort + " (expected: 0..65535)");
        }
        sourceNames = sourceNames == null ? List.of() : List.copyOf(sourceNames);
    }

    /** {@code 0.0.0.0:8080}, {@code cluster.local}, no sources, the system UTC clock. */
    public static CompileOptions defaults() {
        return new CompileOptions("0.0.0.0", 8080, "cluster.local", List.of(), Clock.systemUTC());
    }

    /** A copy with another mesh-mode listener address. */
    public CompileOptions withListen(String host, int port) {
        return new CompileOptions(host, port, domainSuffix, sourceNames, clock);
    }

    /** A copy with other source names. */
    public CompileOptions withSourceNames(List<String> names) {
        return new CompileOptions(defaultListenHost, defaultListenPort, domainSuffix, names, clock);
    }

    /** A copy with another clock. */
    public CompileOptions withClock(Clock c) {
        return new CompileOptions(defaultListenHost, defaultListenPort, domainSuffix, sourceNames, c);
    }

    /** A copy with another domain suffix. */
    public CompileOptions withDomainSuffix(String suffix) {
        return new CompileOptions(defaultListenHost, defaultListenPort, suffix, sourceNames, clock);
    }
}
