package io.shadowgate.cli.gateway;

import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.control.ErrorPolicy;
import io.shadowgate.proxy.ProxyOptions;
import io.shadowgate.telemetry.tracing.TracingOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * What a gateway process is started with: plain values, parsed and checked by the command line
 * ({@code cli.commands.GatewayOptions#spec()}), so the wiring here never sees picocli.
 *
 * @param listenHost            the mesh-mode listener's address (when the config has no Gateway resources)
 * @param listenPort            its port
 * @param adminAddress          the admin listener, {@code host:port}
 * @param adminAllowNonLoopback whether the admin listener may bind a non-loopback address
 * @param transport             {@code auto}, {@code epoll} or {@code nio}
 * @param proxy                 the data path's options
 * @param compare               the comparison settings
 * @param accessLog             {@code stdout}, {@code off} or a file
 * @param accessLogFormat       {@code json} or {@code text}
 * @param tracing               where spans go
 * @param errorPolicy           what a config with errors gets, at start-up and on every reload
 * @param pollInterval          how often config files are polled
 */
public record GatewaySpec(String listenHost, int listenPort, String adminAddress, boolean adminAllowNonLoopback,
                          String transport, ProxyOptions proxy, CompareSettings compare, String accessLog,
                          String accessLogFormat, TracingOptions tracing, ErrorPolicy errorPolicy,
                          Duration pollInterval) {

    public GatewaySpec {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(adminAddress, "adminAddress");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(compare, "compare");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(accessLogFormat, "accessLogFormat");
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(errorPolicy, "errorPolicy");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** A copy polling config files every {@code interval}. */
    public GatewaySpec withPollInterval(Duration interval) {
        return new GatewaySpec(listenHost, listenPort, adminAddress, adminAllowNonLoopback, transport, proxy, compare,
                accessLog, accessLogFormat, tracing, errorPolicy, interval);
    }
}
