package io.shadowgate.control.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.source.SourceContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file source on real directories: what its content hash covers (the bytes a load reads, nothing else), the
 * debounce, and what a missing path delivers.
 */
class FileConfigSourceTest {

    static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: NAME}
            spec:
              hosts: [NAME.example.internal]
              http:
              - route:
                - destination: {host: NAME.example.internal}
            """;

    static String vs(String name) {
        return VS.replace("NAME", name);
    }

    @TempDir
    Path dir;
    FileConfigSource source;
    final List<SourceContent> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    FileConfigSource source(Path... paths) {
        source = new FileConfigSource(List.of(paths), Duration.ofMillis(20));
        return source;
    }

    @Test
    void theHashCoversTheBytesALoadReadsAndNothingElse() throws IOException {
        Path a = Files.writeString(dir.resolve("a.yaml"), vs("a"));
        Files.writeString(dir.resolve("b.yaml"), vs("b"));
        FileConfigSource s = source(dir);
        SourceContent first = s.read();
        assertThat(first.source()).isEqualTo("files");
        assertThat(first.ready()).isTrue();
        assertThat(first.load().resources()).hasSize(2);
        assertThat(first.load().sources()).containsExactly(a.toString(), dir.resolve("b.yaml").toString());
        assertThat(first.contentHash()).startsWith("sha256:").hasSize(7 + 64);

        // touch, files a load skips (dot-names, other extensions), a rename that keeps the reading order.
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(60)));
        Files.writeString(dir.resolve(".a.yaml.swp"), "garbage");
        Files.writeString(dir.resolve("README.md"), "# notes");
        Files.move(a, dir.resolve("a1.yaml"));
        assertThat(s.read().contentHash()).isEqualTo(first.contentHash());

        // Any byte of a file read changes it.
        Files.writeString(dir.resolve("b.yaml"), vs("b") + "# a comment\n");
        assertThat(s.read().contentHash()).isNotEqualTo(first.contentHash());
    }

    @Test
    void aChangeIsDeliveredOnceItStaysTheSameForOneMorePoll() throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), vs("a"));
        FileConfigSource s = source(a);
        String before = s.read().contentHash();
        s.start(delivered::add);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(delivered::isEmpty);

        Files.writeString(a, vs("changed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        SourceContent c = delivered.get(0);
        assertThat(c.contentHash()).isNotEqualTo(before);
        assertThat(c.load().resources().get(0).name()).isEqualTo("changed");
        // Delivered once: later polls of the same content deliver nothing.
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> delivered.size() == 1);
    }

    @Test
    void aMissingPathIsALoadErrorNamingIt() {
        Path missing = dir.resolve("nope.yaml");
        SourceContent c = source(missing).read();
        assertThat(c.load().hasErrors()).isTrue();
        assertThat(c.load().errors().get(0).format()).contains(missing.toString()).contains("no such file");
    }

    @Test
    void theStaticSourceHashesItsText() {
        StaticConfigSource s = new StaticConfigSource("built-in", vs("a"));
        assertThat(s.read().contentHash()).isEqualTo(new StaticConfigSource("other", vs("a")).read().contentHash())
                .isNotEqualTo(new StaticConfigSource("built-in", vs("b")).read().contentHash());
        assertThat(s.read().load().sources()).containsExactly("built-in");
    }
}
