package io.shadowgate.config.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocationsTest {

    @Test
    void pathsAndParents() {
        assertThat(Locations.field("", "spec")).isEqualTo("spec");
        assertThat(Locations.field("spec", "http")).isEqualTo("spec.http");
        assertThat(Locations.index("spec.http", 2)).isEqualTo("spec.http[2]");
        assertThat(Locations.field("metadata.annotations", "shadowgate.io/compare"))
                .isEqualTo("metadata.annotations[\"shadowgate.io/compare\"]");
        assertThat(Locations.parent("spec.http[2].route")).isEqualTo("spec.http[2]");
        assertThat(Locations.parent("spec.http[2]")).isEqualTo("spec.http");
        assertThat(Locations.parent("metadata.annotations[\"a.b/c[d]\"]")).isEqualTo("metadata.annotations");
        assertThat(Locations.parent("spec")).isNull();
    }

    @Test
    void unrecordedPathsFallBackToTheNearestAncestorKey() {
        SourceLocation doc = new SourceLocation("f", 1, 1);
        Locations l = new Locations(doc,
                Map.of("spec", new SourceLocation("f", 5, 3), "spec.http", new SourceLocation("f", 7, 3)),
                Map.of("spec", new SourceLocation("f", 4, 1), "spec.http", new SourceLocation("f", 6, 3)));
        assertThat(l.at("spec.http")).isEqualTo(new SourceLocation("f", 7, 3));
        assertThat(l.at("spec.http[0].route")).isEqualTo(new SourceLocation("f", 6, 3));
        assertThat(l.at("spec.hosts")).isEqualTo(new SourceLocation("f", 4, 1));
        assertThat(l.at("status")).isEqualTo(doc);
        assertThat(l.keyAt("spec.http")).isEqualTo(new SourceLocation("f", 6, 3));
        assertThat(l.has("spec.http")).isTrue();
        assertThat(new SourceLocation("f", 3, 9).toString()).isEqualTo("f:3:9");
        assertThat(SourceLocation.of("f").toString()).isEqualTo("f");
    }
}
