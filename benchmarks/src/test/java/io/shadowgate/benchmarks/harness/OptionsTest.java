package io.shadowgate.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness measures what users run: the launcher's JVM options, and the transport is stated in the header. */
class OptionsTest {

    @Test
    void defaultJavaOptionsAreTheLaunchers() throws Exception {
        String launcher = Files.readString(Path.of("../shadowgate"));
        assertThat(launcher).contains("${SHADOWGATE_JAVA_OPTS:-" + Options.LAUNCHER_JAVA_OPTS + "}");
    }

    @Test
    void transportOptionAndHeader() {
        Options o = Options.parse(new String[] {"--transport", "nio"});
        assertThat(o.transport).isEqualTo("nio");
        o.transportsSeen.add("nio");
        String md = new Report(o, new Machine(2, "cpu", "kernel", "jdk", "nginx", "wrk", 1024, "abc", 0.1),
                Instant.EPOCH, List.of(), List.of(), List.of()).markdown();
        assertThat(md).contains("transport `--transport nio` → nio");
        assertThat(Options.parse(new String[0]).transport).isEqualTo("auto");
    }
}
