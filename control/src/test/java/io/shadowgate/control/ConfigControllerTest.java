package io.shadowgate.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.control.source.FileConfigSource;
import io.shadowgate.control.source.StaticConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller with real files in temporary directories and no proxy: validation on reload, rejected changes,
 * numbered versions and what changed, rollback one step at a time and to a chosen version, the rollback pin (a touch
 * keeps it, new content releases it), a ConfigMap's symlink swap, {@code --apply-with-errors}, and an empty
 * directory.
 */
class ConfigControllerTest {

    static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");

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

    /** {@code content} with an upper-case port name: istiod's validation rejects it, the compiler could serve it. */
    static String upperCasePortName(String content) {
        return content.replace("name: http,", "name: Http,").replace("{http: 1808", "{Http: 1808");
    }

    /** {@link #config} with a route timeout: a third, distinct version sending to {@code subset}. */
    static String withTimeout(String subset) {
        return config(subset) + "    timeout: 5s\n";
    }

    @TempDir
    Path dir;
    Path file;
    ConfigController controller;
    final List<RoutingSnapshot> published = new CopyOnWriteArrayList<>();
    final List<ConfigEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (controller != null) {
            controller.close();
        }
    }

    ConfigController.Builder builder(Path path, Duration poll) {
        return ConfigController.builder().source(new FileConfigSource(List.of(path), poll))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Starts on {@code content} in app.yaml; the first version must apply. */
    ConfigController start(String content) throws IOException {
        return start(content, Duration.ofMillis(50));
    }

    ConfigController start(String content, Duration poll) throws IOException {
        file = Files.writeString(dir.resolve("app.yaml"), content);
        controller = builder(file, poll).build();
        ConfigEvent first = controller.start();
        assertThat(first.outcome()).as(first.messages().toString()).isEqualTo(ConfigOutcome.APPLIED);
        controller.subscribe(published::add);
        controller.onEvent(events::add);
        return controller;
    }

    /** Writes {@code content} and reloads; returns the one event it caused. */
    ConfigEvent change(String content) throws IOException {
        Files.writeString(file, content);
        List<ConfigEvent> e = controller.refresh();
        assertThat(e).hasSize(1);
        return e.get(0);
    }

    static String subset(RoutingSnapshot s) {
        RouteConfig r = s.listeners().get(0).routes().route(SimpleRequest.get("app.example.internal", "/"));
        return ((ForwardAction) r.action()).destinations().get(0).subset();
    }

    String serving() {
        return subset(controller.current());
    }

    @Test
    void rejectedChangeKeepsTheLastGoodConfigAndSaysWhy() throws IOException {
        start(config("v1"));
        String good = controller.current().version();
        ConfigEvent o = change(config("v2").replace("subset: v2}", "subset: v2}\n      weight: -1"));
        assertThat(o.outcome()).isEqualTo(ConfigOutcome.REJECTED);
        assertThat(o.notes().get(0)).isEqualTo("rejected: 1 error(s); still serving #1 (" + good + ")");
        assertThat(o.diagnostics()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("IST0106");
            assertThat(d.field()).isEqualTo("spec.http[0].route[0].weight");
            assertThat(d.line()).isEqualTo(29);
        });
        assertThat(o.messages()).anySatisfy(m -> assertThat(m)
                .contains(file + ":29:15: error IST0106 VirtualService default/app spec.http[0].route[0].weight"));
        assertThat(controller.current().version()).isEqualTo(good);
        assertThat(serving()).isEqualTo("v1");
        assertThat(published).isEmpty();
        ConfigState state = controller.state();
        assertThat(state.rejections()).isEqualTo(1);
        assertThat(state.sourcesMatchServing()).isFalse();
        assertThat(state.drift()).contains("latest content was rejected").contains("still serving #1");
        assertThat(state.sources().get(0).accepted()).isFalse();
        assertThat(controller.history().get(0)).isEqualTo(o);
        // Validation rules the compiler alone would accept reject too (istiod would).
        assertThat(change(config("v2").replace("name: http,", "name: HTTP_port,")).outcome())
                .isEqualTo(ConfigOutcome.REJECTED);
        assertThat(controller.state().rejections()).isEqualTo(2);
        // The next good change applies, as version 2.
        ConfigEvent applied = change(config("v2"));
        assertThat(applied.outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(applied.number()).isEqualTo(2);
        assertThat(applied.fromNumber()).isEqualTo(1);
        assertThat(serving()).isEqualTo("v2");
        assertThat(published).hasSize(1);
        assertThat(controller.state().sourcesMatchServing()).isTrue();
        assertThat(controller.state().drift()).isNull();
        assertThat(events).extracting(ConfigEvent::outcome).containsExactly(ConfigOutcome.REJECTED,
                ConfigOutcome.REJECTED, ConfigOutcome.APPLIED);
    }

    @Test
    void versionsAreNumberedAndSayWhatChanged() throws IOException {
        start(config("v1"));
        ConfigVersion first = controller.versions().get(0);
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.parent()).isNull();
        assertThat(first.appliedAt()).isEqualTo(NOW);
        assertThat(first.sources()).containsExactly(file.toString());
        assertThat(first.changes()).extracting(ResourceChange::toString).containsExactly(
                "added DestinationRule default/app", "added ServiceEntry default/app",
                "added VirtualService default/app");

        // Only the VirtualService differs; a second DestinationRule is added.
        ConfigEvent e = change(config("v2") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: other, namespace: shop}
                spec: {host: other.example.internal}
                """);
        assertThat(e.outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(e.changes()).extracting(ResourceChange::toString).containsExactly(
                "added DestinationRule shop/other", "modified VirtualService default/app");
        // The DestinationRule goes again; comments and formatting are no change.
        ConfigEvent removed = change("# only a comment\n" + config("v2"));
        assertThat(removed.changes()).extracting(ResourceChange::toString)
                .containsExactly("removed DestinationRule shop/other");
        ConfigEvent comment = change("# another comment\n" + config("v2"));
        assertThat(comment.outcome()).isEqualTo(ConfigOutcome.UNCHANGED);
        assertThat(comment.notes()).anySatisfy(n -> assertThat(n).contains("compile to the serving version #3"));
        assertThat(controller.versions()).extracting(ConfigVersion::number).containsExactly(3, 2, 1);
        assertThat(controller.versions().get(0).parent()).isEqualTo(2);
    }

    @Test
    void rollbackStepsBackOneVersionEachTimeThenRefuses() throws IOException {
        start(config("v1"));
        assertThat(controller.rollback(null).status()).as("nothing to roll back to yet")
                .isEqualTo(RollbackResult.Status.START_OF_HISTORY);
        change(config("v2"));
        change(withTimeout("v2"));
        assertThat(controller.state().serving().number()).isEqualTo(3);

        RollbackResult one = controller.rollback(null);
        assertThat(one.rolledBack()).isTrue();
        assertThat(one.from().number()).isEqualTo(3);
        assertThat(one.to().number()).isEqualTo(2);
        assertThat(one.message()).contains("rolled back from #3").contains("to #2")
                .contains("stays until the config sources' content changes");
        assertThat(serving()).isEqualTo("v2");
        RollbackResult two = controller.rollback(null);
        assertThat(two.to().number()).isEqualTo(1);
        assertThat(serving()).isEqualTo("v1");
        // Never toggles back: at the start of the history it refuses, and v1 keeps serving.
        RollbackResult none = controller.rollback(null);
        assertThat(none.status()).isEqualTo(RollbackResult.Status.START_OF_HISTORY);
        assertThat(none.message()).contains("nothing to roll back to").contains("#1");
        assertThat(serving()).isEqualTo("v1");
        assertThat(published).extracting(ConfigControllerTest::subset).containsExactly("v2", "v2", "v2", "v1");

        ConfigEvent last = controller.history().get(0);
        assertThat(last.outcome()).isEqualTo(ConfigOutcome.ROLLED_BACK);
        assertThat(last.number()).isEqualTo(1);
        assertThat(last.fromNumber()).isEqualTo(2);
        assertThat(last.trigger()).isEqualTo("rollback");
        assertThat(last.changes()).extracting(ResourceChange::toString)
                .containsExactly("modified VirtualService default/app");
        ConfigState state = controller.state();
        assertThat(state.pinned()).isTrue();
        assertThat(state.sourcesMatchServing()).isFalse();
        assertThat(state.drift()).isEqualTo("rolled back to " + state.serving().label() + ", but the sources hold "
                + controller.versions().get(0).label() + "; it stays until their content changes");
    }

    @Test
    void rollbackToPicksAVersionByNumberOrHash() throws IOException {
        start(config("v1"));
        change(config("v2"));
        change(withTimeout("v2"));
        String firstHash = controller.versions().get(2).version();

        RollbackResult toOne = controller.rollback("1");
        assertThat(toOne.rolledBack()).isTrue();
        assertThat(toOne.to().version()).isEqualTo(firstHash);
        assertThat(serving()).isEqualTo("v1");
        assertThat(controller.rollback("#1").status()).isEqualTo(RollbackResult.Status.ALREADY_SERVING);
        RollbackResult byHash = controller.rollback(controller.versions().get(0).version().substring(0, 14));
        assertThat(byHash.to().number()).as("by a prefix of the hash").isEqualTo(3);
        RollbackResult unknown = controller.rollback("17");
        assertThat(unknown.status()).isEqualTo(RollbackResult.Status.UNKNOWN_VERSION);
        assertThat(unknown.message()).contains("no version '17'").contains("kept: #1 to #3");
        assertThat(controller.rollback("sha256:ffffffffffff").status())
                .isEqualTo(RollbackResult.Status.UNKNOWN_VERSION);
        assertThat(controller.state().serving().number()).isEqualTo(3);
    }

    @Test
    void touchAndSameBytesNeverReloadNorUndoARollback() throws Exception {
        start(config("v1"), Duration.ofMillis(20));
        change(config("v2"));
        controller.watch();
        assertThat(controller.rollback(null).to().number()).isEqualTo(1);
        int eventsBefore = controller.history().size();

        // touch, then an editor writing the very same bytes, then a swap file next to it.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Files.writeString(file, config("v2"));
        Files.writeString(dir.resolve(".app.yaml.swp"), "not yaml at all: [");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        // Many polls later (every 20 ms) nothing happened.
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3))
                .until(() -> "v1".equals(serving()) && controller.history().size() == eventsBefore);
        assertThat(controller.refresh()).isEmpty();
        assertThat(controller.state().pinned()).isTrue();
        assertThat(controller.state().sourcesMatchServing()).isFalse();
        assertThat(published.stream().map(ConfigControllerTest::subset).toList()).containsExactly("v2", "v1");
    }

    @Test
    void newContentAfterARollbackAppliesAndUnpins() throws Exception {
        start(config("v1"), Duration.ofMillis(20));
        change(config("v2"));
        controller.watch();
        controller.rollback(null);
        assertThat(serving()).isEqualTo("v1");

        Files.writeString(file, withTimeout("v2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(serving()));
        ConfigEvent applied = controller.history().get(0);
        assertThat(applied.outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(applied.number()).isEqualTo(3);
        assertThat(applied.fromNumber()).as("applied over the rolled-back version").isEqualTo(1);
        assertThat(applied.notes()).anySatisfy(n -> assertThat(n).contains("no longer pins #1"));
        assertThat(controller.versions().get(0).parent()).isEqualTo(1);
        ConfigState state = controller.state();
        assertThat(state.pinned()).isFalse();
        assertThat(state.sourcesMatchServing()).isTrue();
        // One step back from #3 goes to #1, the version it replaced, not to the #2 that was rolled away from.
        assertThat(controller.rollback(null).to().number()).isEqualTo(1);
    }

    @Test
    void filesBroughtBackToTheRolledBackVersionReleaseThePin() throws IOException {
        start(config("v1"));
        change(config("v2"));
        controller.rollback(null);
        // A file that now says what is serving (git revert): nothing to publish, the sources match again.
        ConfigEvent e = change("# reverted\n" + config("v1"));
        assertThat(e.outcome()).isEqualTo(ConfigOutcome.UNCHANGED);
        assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("the rollback no longer pins it"));
        ConfigState state = controller.state();
        assertThat(state.pinned()).isFalse();
        assertThat(state.sourcesMatchServing()).isTrue();
        assertThat(state.serving().number()).isEqualTo(1);
        // Going back to what was rolled away from is a change like any other now.
        assertThat(change(config("v2")).outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(serving()).isEqualTo("v2");
    }

    @Test
    void contentRolledAwayFromKeepsThePinEvenAfterAnotherEdit() throws IOException {
        start(config("v1"));
        change(config("v2"));
        controller.rollback(null);
        // An edit that is rejected, then the files back to what they held at the rollback: still pinned.
        assertThat(change(config("v2").replace("name: http,", "name: HTTP_port,")).outcome())
                .isEqualTo(ConfigOutcome.REJECTED);
        Files.writeString(file, config("v2"));
        assertThat(controller.refresh()).isEmpty();
        assertThat(serving()).isEqualTo("v1");
        ConfigState state = controller.state();
        assertThat(state.pinned()).isTrue();
        assertThat(state.drift()).startsWith("rolled back to #1").contains("the sources hold #2");
    }

    @Test
    void configMapSymlinkSwapIsPickedUp() throws IOException {
        // A ConfigMap volume: app.yaml -> ..data/app.yaml, ..data -> ..2026_01_01_00_00_00.1 (a timestamped dir).
        Path mount = Files.createDirectory(dir.resolve("config"));
        Path first = Files.createDirectory(mount.resolve("..2026_01_01_00_00_00.1"));
        Files.writeString(first.resolve("app.yaml"), config("v1"));
        Files.createSymbolicLink(mount.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(mount.resolve("app.yaml"), Path.of("..data", "app.yaml"));
        controller = builder(mount, Duration.ofMillis(50)).build();
        assertThat(controller.start().outcome()).isEqualTo(ConfigOutcome.APPLIED);
        controller.subscribe(published::add);
        assertThat(serving()).isEqualTo("v1");
        controller.watch();

        // kubelet's update: a new timestamped dir, a temporary symlink to it, then an atomic rename over ..data.
        Path second = Files.createDirectory(mount.resolve("..2026_01_01_00_01_00.2"));
        Files.writeString(second.resolve("app.yaml"), config("v2"));
        Path tmp = Files.createSymbolicLink(mount.resolve("..data_tmp"), second.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(first.resolve("app.yaml"));
        Files.delete(first);

        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(serving()));
        assertThat(published).hasSize(1);
        assertThat(controller.history().get(0).outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(controller.state().rejections()).isZero();
    }

    @Test
    void startUpWithErrorsStartsNothing() throws IOException {
        file = Files.writeString(dir.resolve("app.yaml"), upperCasePortName(config("v1")));
        controller = builder(file, Duration.ofMillis(50)).build();
        controller.subscribe(published::add);
        ConfigEvent first = controller.start();
        assertThat(first.outcome()).isEqualTo(ConfigOutcome.REJECTED);
        assertThat(first.trigger()).isEqualTo("start-up");
        assertThat(first.notes().get(0)).isEqualTo("rejected: 3 error(s); nothing was started");
        assertThat(first.messages()).anySatisfy(m -> assertThat(m).contains("IST0106").contains("\"Http\""));
        assertThat(controller.current()).isNull();
        assertThat(controller.versions()).isEmpty();
        assertThat(published).isEmpty();
        assertThat(controller.rollback(null).status()).isEqualTo(RollbackResult.Status.NOT_STARTED);
    }

    @Test
    void applyWithErrorsAppliesWhatCompilesAndSaysSo() throws IOException {
        file = Files.writeString(dir.resolve("app.yaml"), upperCasePortName(config("v1")));
        controller = builder(file, Duration.ofMillis(50)).errorPolicy(ErrorPolicy.APPLY).build();
        ConfigEvent first = controller.start();
        assertThat(first.outcome()).isEqualTo(ConfigOutcome.APPLIED_WITH_ERRORS);
        assertThat(first.notes().get(0)).isEqualTo("applied WITH 3 ERROR(S) because the gateway runs with "
                + "--apply-with-errors");
        assertThat(serving()).isEqualTo("v1");
        assertThat(controller.versions().get(0).outcome()).isEqualTo(ConfigOutcome.APPLIED_WITH_ERRORS);
        assertThat(controller.current().diagnostics()).anySatisfy(d -> assertThat(d.code()).isEqualTo("IST0106"));
        assertThat(controller.state().errorPolicy()).isEqualTo(ErrorPolicy.APPLY);
        // A YAML syntax error leaves nothing to compile: rejected even so.
        ConfigEvent broken = change("apiVersion: [");
        assertThat(broken.outcome()).isEqualTo(ConfigOutcome.REJECTED);
        assertThat(serving()).isEqualTo("v1");
        // A clean change is simply applied.
        assertThat(change(config("v2")).outcome()).isEqualTo(ConfigOutcome.APPLIED);
    }

    @Test
    void anEmptyDirectoryIsServedWithAWarning() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        controller = builder(empty, Duration.ofMillis(50)).build();
        ConfigEvent first = controller.start();
        assertThat(first.outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(first.notes()).containsExactly("no Istio resources in the sources (no .yaml or .yml files): "
                + "nothing is routed, every request gets 404 NR");
        assertThat(controller.current().listeners()).hasSize(1);
    }

    @Test
    void aSourceThatFailsToLoadKeepsItsLastGoodContent() throws IOException {
        // Two sources: the services in one directory, the routing in another.
        String all = config("v1");
        int vs = all.indexOf("---\napiVersion: networking.istio.io/v1\nkind: VirtualService");
        Path services = Files.createDirectory(dir.resolve("services"));
        Path routing = Files.createDirectory(dir.resolve("routing"));
        Files.writeString(services.resolve("app.yaml"), all.substring(0, vs));
        Path route = Files.writeString(routing.resolve("vs.yaml"), all.substring(vs + 4));
        controller = ConfigController.builder()
                .source(new FileConfigSource("services", List.of(services), Duration.ofMillis(50)))
                .source(new FileConfigSource("routing", List.of(routing), Duration.ofMillis(50)))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        assertThat(controller.start().outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(serving()).isEqualTo("v1");

        Files.writeString(services.resolve("app.yaml"), "kind: [unclosed");
        List<ConfigEvent> rejected = controller.refresh();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).outcome()).isEqualTo(ConfigOutcome.REJECTED);
        assertThat(rejected.get(0).trigger()).isEqualTo("services");
        assertThat(rejected.get(0).notes()).contains("source services could not be loaded; its last good content "
                + "is kept");
        // The other source still changes what serves, merged with the services' last good content.
        Files.writeString(route, all.substring(vs + 4).replace("subset: v1", "subset: v2"));
        List<ConfigEvent> applied = controller.refresh();
        assertThat(applied).extracting(ConfigEvent::outcome).containsExactly(ConfigOutcome.APPLIED);
        assertThat(applied.get(0).trigger()).isEqualTo("routing");
        assertThat(serving()).isEqualTo("v2");
        assertThat(controller.state().sources()).extracting(ConfigState.SourceState::accepted)
                .containsExactly(false, true);
    }

    @Test
    void theDemosBuiltInConfigIsAStaticSource() {
        controller = ConfigController.builder().source(new StaticConfigSource("built-in", config("v1"))).build();
        assertThat(controller.start().outcome()).isEqualTo(ConfigOutcome.APPLIED);
        assertThat(controller.current().sources()).containsExactly("built-in");
        controller.watch();
        assertThat(controller.refresh()).as("it never changes").isEmpty();
        assertThat(controller.state().sourcesReady()).isTrue();
    }

    @Test
    void aSubscriberThatFailsGetsTheServingSnapshotBackAndTheChangeIsRejected() throws IOException {
        start(config("v1"));
        String good = controller.current().version();
        controller.subscribe(s -> {
            if ("v2".equals(subset(s))) {
                throw new IllegalStateException("port 80 is in use");
            }
        });
        ConfigEvent e = change(config("v2"));
        assertThat(e.outcome()).isEqualTo(ConfigOutcome.REJECTED);
        assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("failed (see the log); still serving #1"));
        assertThat(controller.current().version()).isEqualTo(good);
        // The first subscriber saw v2, then v1 again.
        assertThat(published).extracting(ConfigControllerTest::subset).containsExactly("v2", "v1");
        assertThat(controller.versions()).hasSize(1);
    }

    @Test
    void theControlPlaneHasNoNettyOnItsClassPath() {
        // The control module depends on config only: no proxy, no Netty (the admin and cli modules wire it).
        assertThat(ClassLoader.getSystemResource("io/netty/channel/Channel.class")).isNull();
        assertThat(ClassLoader.getSystemResource("io/shadowgate/proxy/ProxyServer.class")).isNull();
        assertThat(ClassLoader.getSystemResource("io/shadowgate/config/source/ConfigSource.class")).isNotNull();
    }

    /**
     * A source whose content is pushed by the test, as an API-backed source (Kubernetes) pushes: it is not ready
     * until it has listed everything.
     */
    static final class PushedSource implements io.shadowgate.config.source.ConfigSource {
        private volatile io.shadowgate.config.source.SourceContent content;
        private volatile Listener listener;

        PushedSource(String yaml, boolean ready) {
            content = content(yaml, ready);
        }

        static io.shadowgate.config.source.SourceContent content(String yaml, boolean ready) {
            return new io.shadowgate.config.source.SourceContent("pushed",
                    new io.shadowgate.config.load.ConfigLoader().loadString("pushed", yaml), ContentHash.of(yaml),
                    ready);
        }

        void push(String yaml, boolean ready) {
            content = content(yaml, ready);
            listener.onContent(content);
        }

        @Override
        public String name() {
            return "pushed";
        }

        @Override
        public io.shadowgate.config.source.SourceContent read() {
            return content;
        }

        @Override
        public void start(Listener l) {
            listener = l;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void readyOnceEverySourcesCompleteContentIsAccepted() {
        PushedSource api = new PushedSource("", false);
        controller = ConfigController.builder().source(new StaticConfigSource("built-in", config("v1")))
                .source(api).build();
        assertThat(controller.start().outcome()).isEqualTo(ConfigOutcome.APPLIED);
        controller.watch();
        assertThat(controller.state().sourcesReady()).isFalse();
        // Listed completely, but rejected: still not ready.
        api.push("apiVersion: [", true);
        assertThat(controller.state().sourcesReady()).isFalse();
        // The same content marked ready later (nothing else changed) counts once accepted.
        api.push("# nothing yet\n", false);
        assertThat(controller.state().sourcesReady()).isFalse();
        api.push("# nothing yet\n", true);
        assertThat(controller.state().sourcesReady()).isTrue();
        assertThat(controller.state().sources()).extracting(ConfigState.SourceState::name)
                .containsExactly("built-in", "pushed");
    }
}
