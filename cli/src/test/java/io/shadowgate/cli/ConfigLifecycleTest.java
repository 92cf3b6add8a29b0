package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.cli.gateway.ConfigLifecycle;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config lifecycle without a proxy: validation on reload, rejected changes, rollback, and the watcher on a
 * Kubernetes ConfigMap mount (a {@code ..data} symlink swapped atomically).
 */
class ConfigLifecycleTest {

    /** v1 and v2 of one host; the VirtualService sends everything to {@code subset}. */
    static String config(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: app}
                spec:
                  hosts: [app.example.internal]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: 18081}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: 18082}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: app}
                spec:
                  host: app.example.internal
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app}
                spec:
                  hosts: [app.example.internal]
                  http:
                  - route:
                    - destination: {host: app.example.internal, subset: SUBSET}
                """.replace("SUBSET", subset);
    }

    @TempDir
    Path dir;
    ConfigLifecycle lifecycle;
    final List<RoutingSnapshot> applied = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    ConfigLifecycle start(Path path) {
        lifecycle = ConfigLifecycle.forPaths(List.of(path), CompileOptions.defaults(), applied::add);
        CompileResult first = lifecycle.compileOnly();
        assertThat(first.errors()).isEmpty();
        lifecycle.initial(first.snapshot());
        return lifecycle;
    }

    static String subset(RoutingSnapshot s) {
        RouteConfig r = s.listeners().get(0).routes()
                .route(SimpleRequest.get("app.example.internal", "/"));
        return ((ForwardAction) r.action()).destinations().get(0).subset();
    }

    @Test
    void rejectedChangeKeepsTheLastGoodConfigAndSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("app.yaml"), config("v1"));
        start(file);
        String good = lifecycle.current().version();
        Files.writeString(file, config("v2").replace("subset: v2}", "subset: v2}\n      weight: -1"));
        ConfigLifecycle.Outcome o = lifecycle.reload();
        assertThat(o.applied()).isFalse();
        assertThat(o.message()).startsWith("rejected: 1 error(s); still serving " + good);
        assertThat(o.diagnostics()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("IST0106");
            assertThat(d.field()).isEqualTo("spec.http[0].route[0].weight");
            assertThat(d.line()).isEqualTo(29);
        });
        assertThat(lifecycle.current().version()).isEqualTo(good);
        assertThat(subset(lifecycle.current())).isEqualTo("v1");
        assertThat(lifecycle.rejections()).isEqualTo(1);
        assertThat(applied).isEmpty();
        ConfigLifecycle.Version last = lifecycle.history().get(0);
        assertThat(last.outcome()).isEqualTo("rejected");
        assertThat(last.messages()).anySatisfy(m -> assertThat(m)
                .contains(file + ":29:15: error IST0106 VirtualService default/app spec.http[0].route[0].weight"));
        // Validation rules the compiler alone would accept reject too (istiod would).
        Files.writeString(file, config("v2").replace("name: http,", "name: HTTP_port,"));
        assertThat(lifecycle.reload().applied()).isFalse();
        assertThat(lifecycle.rejections()).isEqualTo(2);
        // The next good change applies.
        Files.writeString(file, config("v2"));
        assertThat(lifecycle.reload().applied()).isTrue();
        assertThat(subset(lifecycle.current())).isEqualTo("v2");
    }

    @Test
    void rollbackStaysUntilTheFilesChange() throws IOException {
        Path file = Files.writeString(dir.resolve("app.yaml"), config("v1"));
        start(file);
        assertThat(lifecycle.rollback().applied()).as("nothing to roll back to yet").isFalse();
        Files.writeString(file, config("v2"));
        assertThat(lifecycle.reload().applied()).isTrue();
        assertThat(subset(lifecycle.current())).isEqualTo("v2");

        ConfigLifecycle.Outcome back = lifecycle.rollback();
        assertThat(back.applied()).isTrue();
        assertThat(back.message()).contains("stays until the config files change");
        assertThat(subset(lifecycle.current())).isEqualTo("v1");
        assertThat(lifecycle.rolledBack()).isTrue();
        assertThat(lifecycle.history().get(0).outcome()).isEqualTo("rolled back");

        lifecycle.watch(Duration.ofMillis(50));
        // Several polls later the unchanged files have not undone the rollback.
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> "v1".equals(subset(lifecycle.current())));
        // The next change of the files is applied as usual.
        Files.writeString(file, config("v2").replace("name: app}\nspec:\n  hosts", "name: app, labels: {rev: \"3\"}}\nspec:\n  hosts"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(subset(lifecycle.current())));
        assertThat(lifecycle.rolledBack()).isFalse();
    }

    @Test
    void configMapSymlinkSwapIsPickedUp() throws IOException {
        // A ConfigMap volume: app.yaml -> ..data/app.yaml, ..data -> ..2026_01_01_00_00_00.1 (a timestamped dir).
        Path mount = Files.createDirectory(dir.resolve("config"));
        Path first = Files.createDirectory(mount.resolve("..2026_01_01_00_00_00.1"));
        Files.writeString(first.resolve("app.yaml"), config("v1"));
        Files.createSymbolicLink(mount.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(mount.resolve("app.yaml"), Path.of("..data", "app.yaml"));
        start(mount);
        assertThat(subset(lifecycle.current())).isEqualTo("v1");
        lifecycle.watch(Duration.ofMillis(50));

        // kubelet's update: a new timestamped dir, a temporary symlink to it, then an atomic rename over ..data.
        Path second = Files.createDirectory(mount.resolve("..2026_01_01_00_01_00.2"));
        Files.writeString(second.resolve("app.yaml"), config("v2"));
        Path tmp = Files.createSymbolicLink(mount.resolve("..data_tmp"), second.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(first.resolve("app.yaml"));
        Files.delete(first);

        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(subset(lifecycle.current())));
        assertThat(applied).hasSize(1);
        assertThat(lifecycle.history().get(0).outcome()).isEqualTo("applied");
        assertThat(lifecycle.rejections()).isZero();
    }
}
