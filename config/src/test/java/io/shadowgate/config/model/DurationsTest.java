package io.shadowgate.config.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowgate.config.diagnostics.Diagnostic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"10s, 10000", "0.5s, 500", "1.5s, 1500", "500ms, 500", "1m, 60000", "1h, 3600000", "1h30m, 5400000",
            "0, 0", "0s, 0", "1.5h, 5400000", "250us, 0", "0.001s, 1"})
    void accepted(String text, long millis) {
        assertThat(Durations.parse(text).toMillis()).isEqualTo(millis);
    }

    @Test
    void precision() {
        assertThat(Durations.parse("0.000000001s")).isEqualTo(Duration.ofNanos(1));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("1m0.5s")).isEqualTo(Duration.ofMillis(60_500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "-1s", "s", "1x", "1.2.3s", "ten seconds", "1 s", "+1s", ".s"})
    void rejected(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @Test
    void reportsADiagnosticAtTheField() {
        List<Diagnostic> sink = new ArrayList<>();
        Resource<String> r = Resource.of("VirtualService", "ns", "vs", "spec");
        assertThat(Durations.parse("5 minutes", r, "spec.http[0].timeout", sink)).isNull();
        assertThat(Durations.parse(null, r, "spec.http[0].timeout", sink)).isNull();
        assertThat(sink).hasSize(1);
        assertThat(sink.get(0).code()).isEqualTo("SG0007");
        assertThat(sink.get(0).field()).isEqualTo("spec.http[0].timeout");
        assertThat(sink.get(0).format()).contains("VirtualService ns/vs spec.http[0].timeout");
    }

    @Test
    void formatsAsPeopleWriteDurationsAndParsesBack() {
        assertThat(Durations.format(Duration.ofSeconds(15))).isEqualTo("15s");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofSeconds(5400))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        for (Duration d : List.of(Duration.ofSeconds(15), Duration.ofMillis(1500), Duration.ofSeconds(5400),
                Duration.ofNanos(1_500_000), Duration.ofMillis(250))) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }
}
