package io.shadowgate.cli.commands;

import io.shadowgate.cli.explain.ExplainReport;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.validate.ConfigCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shadowgate explain -f PATH... METHOD URL}: what the gateway would do with one request, without sending it.
 *
 * <p>It compiles the configuration exactly as {@code run} does, picks the listener (the URL's port when a listener
 * has it, else {@code --gateway}'s, else the only one), and makes the proxy's own decision for the request
 * ({@code RouteDecider.decide}, with a trace), which {@link ExplainReport} renders: the virtual host, for each
 * earlier route the condition that failed ({@code RequestMatcher.mismatch}), then the route that matches and its
 * action. For a forward route: the destinations with their weights and the one
 * {@code --seed} picks ({@code ForwardAction.pick}), rewrites and header operations, timeout, retries and faults,
 * every mirror with its percentage and whether this request is mirrored ({@code MirrorPolicy.sampled}), and each
 * destination cluster's traffic policy and endpoints.
 *
 * <p>{@code --seed} is the request's random value (Envoy's stream id): the same value picks the destination and
 * decides every mirror, so a request mirrored at 10% is also mirrored at 20%.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show what the gateway would do with one request, without sending it: the VirtualService and "
                + "route that match and why earlier ones do not, destinations and weights, rewrites, headers, "
                + "timeout, retries, faults, mirrors, and the target cluster's policy and endpoints.",
                "Exit codes: 0 explained, 1 the configuration has errors, 2 bad arguments or unreadable input."})
public final class ExplainCommand implements Callable<Integer> {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a directory of .yaml/.yml files; repeatable, like kubectl.")
    List<Path> paths;

    @Option(names = "--gateway", paramLabel = "NAME",
            description = "The Gateway ([namespace/]name) whose listener takes the request, when the URL's port is "
                    + "not one of the listeners'.")
    String gateway;

    @Option(names = "--seed", paramLabel = "N",
            description = "The request's random value: decides the weighted pick and mirror sampling, as the proxy "
                    + "does per request. Without it, only the odds are shown.")
    Long seed;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "A request header (repeatable). 'Host: x' overrides the URL's authority.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String output;

    @Parameters(index = "0", paramLabel = "METHOD", description = "The request method (GET, POST, ...).")
    String method;

    @Parameters(index = "1", paramLabel = "URL", description = "http://host[:port]/path?query")
    String url;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = "json".equalsIgnoreCase(output);
        if (!json && !"text".equalsIgnoreCase(output)) {
            err.println("shadowgate explain: -o " + output + " (expected: text or json)");
            return ValidateCommand.UNREADABLE;
        }
        String unreadable = ValidateCommand.unreadable(paths);
        if (unreadable != null) {
            err.println("shadowgate explain: " + unreadable);
            return ValidateCommand.UNREADABLE;
        }
        SimpleRequest.Builder rb = SimpleRequest.builder().method(method.toUpperCase(Locale.ROOT));
        int urlPort;
        try {
            rb.url(url);
            urlPort = port(url);
        } catch (IllegalArgumentException e) {
            err.println("shadowgate explain: URL " + url + ": " + e.getMessage()
                    + " (expected: http://host[:port]/path)");
            return ValidateCommand.UNREADABLE;
        }
        for (String h : headers) {
            int colon = h.indexOf(':', h.startsWith(":") ? 1 : 0);
            if (colon <= 0) {
                err.println("shadowgate explain: -H " + h + " (expected: 'name: value')");
                return ValidateCommand.UNREADABLE;
            }
            String name = h.substring(0, colon).strip();
            String value = h.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase(":authority")) {
                rb.authority(value);
            } else {
                rb.header(name, value);
            }
        }

        LoadResult loaded = new ConfigLoader().load(paths);
        CompileOptions options = CompileOptions.defaults().withListen("0.0.0.0", urlPort)
                .withSourceNames(loaded.sources());
        CompileResult result = ConfigCheck.check(loaded, options);
        if (result.snapshot() == null) {
            err.println("shadowgate explain: the configuration has errors; fix them first (shadowgate validate):");
            for (Diagnostic d : ConfigCheck.inSourceOrder(result.errors(), loaded.sources())) {
                err.println(d.format());
            }
            return ValidateCommand.INVALID;
        }
        RoutingSnapshot snapshot = result.snapshot();
        ListenerConfig listener = chooseListener(snapshot, urlPort, gateway);
        if (listener == null) {
            List<String> known = new ArrayList<>();
            for (ListenerConfig l : snapshot.listeners()) {
                known.add(l.port() + (l.gateways().isEmpty() ? "" : " " + l.gateways()));
            }
            err.println("shadowgate explain: no listener takes port " + urlPort + (gateway == null ? ""
                    : " or gateway " + gateway) + "; listeners: " + known + ". Use one of those ports in the URL, or "
                    + "--gateway NAME");
            return ValidateCommand.UNREADABLE;
        }
        SimpleRequest request = rb.listenerPort(listener.port()).build();
        ExplainReport report = ExplainReport.explain(snapshot, listener, request, seed);
        if (json) {
            out.println(ValidateCommand.toJson(report.json()));
        } else {
            report.text().forEach(out::println);
        }
        out.flush();
        return ValidateCommand.OK;
    }

    /** The URL's port, or the scheme's default. */
    static int port(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("no scheme");
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        int start = schemeEnd + 3;
        int end = start;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        String authority = url.substring(start, end);
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        int bracket = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        if (colon > bracket && (bracket >= 0 || authority.indexOf(':') == colon)) {
            try {
                int p = Integer.parseInt(authority.substring(colon + 1));
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("port " + p + " out of range");
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port");
            }
        }
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new IllegalArgumentException("unknown scheme " + scheme);
        };
    }

    /** The URL's port when a listener has it, else {@code --gateway}'s listener, else the only listener. */
    static ListenerConfig chooseListener(RoutingSnapshot snapshot, int port, String gateway) {
        ListenerConfig byPort = snapshot.listener(port);
        if (byPort != null) {
            return byPort;
        }
        if (gateway != null) {
            for (ListenerConfig l : snapshot.listeners()) {
                for (String g : l.gateways()) {
                    if (g.equals(gateway) || g.endsWith("/" + gateway)) {
                        return l;
                    }
                }
            }
            return null;
        }
        return snapshot.listeners().size() == 1 ? snapshot.listeners().get(0) : null;
    }
}
