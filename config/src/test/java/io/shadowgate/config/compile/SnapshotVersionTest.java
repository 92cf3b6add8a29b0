package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotVersionTest {

    private static final String A = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: a}
            spec:
              hosts: [a.example.com]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: DNS
            """;

    @Test
    void sameContentSameVersionWhateverTheFormatting() {
        String v1 = snapshot(A).version();
        String reformatted = """
                # a comment
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: a
                spec:
                  resolution: DNS
                  ports:
                  - number: 80
                    protocol: HTTP
                    name: http
                  hosts:
                  - a.example.com
                """;
        assertThat(snapshot(reformatted).version()).isEqualTo(v1);
        assertThat(v1).matches("sha256:[0-9a-f]{12}");
        assertThat(snapshot(A.replace("80", "81")).version()).isNotEqualTo(v1);
        assertThat(snapshot(A.replace("{name: a}", "{name: a, annotations: {x: y}}")).version()).isNotEqualTo(v1);
    }
}
