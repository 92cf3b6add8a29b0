package io.shadowgate.cli.gateway;

import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.RouteOverrides;
import io.shadowgate.control.ErrorPolicy;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.telemetry.metrics.GatewayIdentity;
import io.shadowgate.telemetry.tracing.TracingOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a gateway process is started with: plain values, parsed and checked by the command line
 * ({@code cli.commands.GatewayOptions#spec()}), so the wiring here never sees picocli.
 *
 * @param listenHost            the mesh-mode listener's address (when the config has no Gateway resources)
 * @param listenPort            its port
 * @param adminAddress          the admin listener, {@code host:port}, or {@code null} for none ({@code --admin off})
 * @param adminAllowNonLoopback whether the admin listener may bind a non-loopback address
 * @param transport             {@code auto}, {@code epoll} or {@code nio}
 * @param proxy                 the data path's options
 * @param compare               the comparison settings, given the per-route rules the configuration's annotations
 *                              add (they change with each reload)
 * @param accessLog             {@code stdout}, {@code off} or a file
 * @param accessLogFormat       {@code json} or {@code text}
 * @param tracing               where spans go
 * @param identity              who reports the Istio metrics
 * @param errorPolicy           what a config with errors gets, at start-up and on every reload
 * @param pollInterval          how often config files are polled
 */
public record GatewaySpec(String listenHost, int listenPort, String adminAddress, boolean adminAllowNonLoopback,
                          String transport, ProxyOptions proxy, CompareSettingsFactory compare, String accessLog,
                          String accessLogFormat, TracingOptions tracing, GatewayIdentity identity,
                          ErrorPolicy errorPolicy, Duration pollInterval) {

    /** The comparison settings, given the per-route rules (route key to overrides) that come with the config. */
    @FunctionalInterface
    public interface CompareSettingsFactory {
        CompareSettings with(Function<String, RouteOverrides> routeRules);
    }

    public GatewaySpec {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(compare, "compare");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(accessLogFormat, "accessLogFormat");
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(errorPolicy, "errorPolicy");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** A copy polling config files every {@code interval}. */
    public GatewaySpec withPollInterval(Duration interval) {
        return new GatewaySpec(listenHost, listenPort, adminAddress, adminAllowNonLoopback, transport, proxy, compare,
                accessLog, accessLogFormat, tracing, identity, errorPolicy, interval);
    }

    /** Whether an admin server is started. */
    public boolean adminEnabled() {
        return adminAddress != null;
    }
}
