package io.shadowgate.config.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/** Compiles YAML strings for tests. */
public final class TestConfigs {

    public static final CompileOptions OPTIONS = CompileOptions.defaults()
            .withClock(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

    private TestConfigs() {
    }

    public static LoadResult load(String yaml) {
        return new ConfigLoader().loadString("test.yaml", yaml);
    }

    public static CompileResult compile(String yaml) {
        return SnapshotCompiler.compile(load(yaml), OPTIONS);
    }

    /** Compiles and asserts there are no errors. */
    public static RoutingSnapshot snapshot(String yaml) {
        CompileResult r = compile(yaml);
        assertThat(r.errors()).as("errors").isEmpty();
        assertThat(r.snapshot()).isNotNull();
        return r.snapshot();
    }

    /** The route a GET of {@code url} gets on the listener of its port (8080 when absent). */
    public static RouteConfig route(RoutingSnapshot s, String url) {
        return route(s, SimpleRequest.builder().url(url).build(), 8080);
    }

    public static RouteConfig route(RoutingSnapshot s, RequestView r, int listenerPort) {
        assertThat(s.listener(listenerPort)).as("listener " + listenerPort).isNotNull();
        return s.listener(listenerPort).routes().route(r);
    }

    public static ForwardAction forward(RouteConfig r) {
        assertThat(r).isNotNull();
        assertThat(r.action()).isInstanceOf(ForwardAction.class);
        return (ForwardAction) r.action();
    }

    public static String messages(List<Diagnostic> ds) {
        return ds.stream().map(Diagnostic::format).collect(Collectors.joining("\n"));
    }

    /** Diagnostics with this code. */
    public static List<Diagnostic> withCode(List<Diagnostic> ds, String code) {
        return ds.stream().filter(d -> d.code().equals(code)).toList();
    }
}
