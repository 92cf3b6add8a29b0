package io.shadowgate.compare.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"2024-05-01T10:00:00.123Z\" | ISO_TIMESTAMP",
        "2024-05-01 10:00:00+02:00 | ISO_TIMESTAMP",
        "Tue, 15 Nov 1994 08:12:31 GMT | HTTP_DATE",
        "1714557600123 | EPOCH_MILLIS",
        "1714557600 | EPOCH_SECONDS",
        "\"550e8400-e29b-41d4-a716-446655440000\" | UUID",
        "5f2b9c0d1e3a4b6c | HEX_ID",
        "eyJhbGciOiJIUzI1NiJ9.abc123 | OPAQUE_TOKEN",
        "123456789012345 | OPAQUE_TOKEN",
        "19.99 | OTHER",
        "\"Mug\" | OTHER",
        "\"2024-05-01\" | OTHER",
        "true | OTHER",
    })
    void shapes(String raw, ValueShape expected) {
        assertThat(ValueShape.classify(raw)).isEqualTo(expected);
    }

    @Test
    void sameInstantInAnotherFormatIsRelated() {
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00Z\"", "\"2024-05-01T12:00:00+02:00\"")).isFalse();
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00.004Z\"")).isTrue();
        assertThat(ValueShape.looksUnrelated("\"Mug\"", "\"Cup\"")).isFalse();
    }

    @Test
    void pointerPatterns() {
        JsonPointerPattern p = JsonPointerPattern.parse("/items/*/ts");
        assertThat(p.covers(List.of("items", 3, "ts"))).isTrue();
        assertThat(p.covers(List.of("items", 3, "ts", "nested"))).isTrue();
        assertThat(p.covers(List.of("items", 3, "id"))).isFalse();
        assertThat(p.covers(List.of("items"))).isFalse();
        assertThat(JsonPointerPattern.parse("/a~1b/~0c").covers(List.of("a/b", "~c"))).isTrue();
        assertThat(JsonPointerPattern.parse("/list/0").covers(List.of("list", 0))).isTrue();
        assertThatThrownBy(() -> JsonPointerPattern.parse("generatedAt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'generatedAt'").hasMessageContaining("start with '/'");
    }

    @Test
    void headerRules() {
        IgnoreRules r = IgnoreRules.of(List.of("X-B3-*", "date"), List.of());
        assertThat(r.ignoresHeader("x-b3-traceid")).isTrue();
        assertThat(r.ignoresHeader("date")).isTrue();
        assertThat(r.ignoresHeader("x-b4")).isFalse();
        assertThatThrownBy(() -> IgnoreRules.of(List.of(" "), List.of())).hasMessageContaining("' '");
    }

    @Test
    void statisticalNoiseNeedsEnoughObservationsMostlyDifferingWithUnrelatedFreshValues() {
        PathNoise p = new PathNoise("$.ts", 1, false);
        for (int i = 1; i <= 19; i++) {
            p.recordDifference("\"2024-05-01T10:00:" + String.format("%02d", i) + "Z\"", "\"2024-05-01T11:00:00Z\"");
            assertThat(p.status(i, NoisePolicy.DEFAULTS).noise()).as("after %d", i).isFalse();
        }
        p.recordDifference("\"2024-05-01T10:00:20Z\"", "\"2024-05-01T11:00:00Z\"");
        NoiseStatus s = p.status(20, NoisePolicy.DEFAULTS);
        assertThat(s.noise()).isTrue();
        assertThat(s.reason()).contains("100%").contains("20 requests").contains("timestamp");
        // The same evidence diluted by many equal observations is not noise any more.
        assertThat(p.status(40, NoisePolicy.DEFAULTS).noise()).isFalse();
    }

    @Test
    void repeatedPrimaryValuesAreNotNoiseEvenWithAGeneratedShape() {
        PathNoise p = new PathNoise("$.ownerId", 1, false);
        for (int i = 1; i <= 50; i++) {
            p.recordDifference("\"550e8400-e29b-41d4-a716-446655440000\"", "\"00000000-e29b-41d4-a716-446655440000\"");
        }
        assertThat(p.status(50, NoisePolicy.DEFAULTS).noise()).isFalse();
    }

    @Test
    void learnedNoiseAndNeverNoise() {
        PathNoise p = new PathNoise("$.x", 1, false);
        p.markLearnedFromSample();
        assertThat(p.status(1, NoisePolicy.DEFAULTS).reason()).startsWith("learned");
        assertThat(p.status(1, new NoisePolicy(true, false, 20, 0.9, 0.9)).noise()).isFalse();
        PathNoise status = new PathNoise("status", 1, true);
        status.markLearnedFromSample();
        assertThat(status.status(1, NoisePolicy.DEFAULTS).noise()).isFalse();
        assertThatThrownBy(() -> new NoisePolicy(true, true, 0, 0.9, 0.9)).hasMessageContaining("got 0");
    }
}
