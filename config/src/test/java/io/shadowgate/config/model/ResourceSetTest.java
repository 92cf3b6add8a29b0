package io.shadowgate.config.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.load.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one index of a configuration's resources that the validator and the compiler share. */
class ResourceSetTest {

    private static final String YAML = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a, namespace: shop}
            spec: {hosts: [a], http: [{route: [{destination: {host: a}}]}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: a, namespace: shop}
            spec: {host: a}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: b, namespace: shop}
            spec: {hosts: [b], http: [{route: [{destination: {host: b}}]}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a, namespace: shop}
            spec: {hosts: [a2], http: [{route: [{destination: {host: a}}]}]}
            """;

    @Test
    void theLaterDefinitionWinsAndTakesTheLaterPlace() {
        List<Resource<?>> loaded = new ConfigLoader().loadString("t.yaml", YAML).resources();
        ResourceSet set = ResourceSet.of(loaded);

        assertThat(set.definitions()).containsExactlyElementsOf(loaded);
        assertThat(set.resources()).extracting(r -> r.kind() + " " + r.key())
                .containsExactly("DestinationRule shop/a", "VirtualService shop/b", "VirtualService shop/a");
        assertThat(set.virtualServices()).extracting(r -> r.spec().hosts().get(0)).containsExactly("b", "a2");
        assertThat(set.destinationRules()).hasSize(1);
        assertThat(set.serviceEntries()).isEmpty();
        assertThat(set.workloadEntries()).isEmpty();
        assertThat(set.gateways()).isEmpty();

        assertThat(set.redefinitions()).hasSize(1);
        ResourceSet.Redefinition d = set.redefinitions().get(0);
        assertThat(d.later()).isSameAs(loaded.get(3));
        assertThat(d.previous()).isSameAs(loaded.get(0));
        assertThat(d.previous().location().line()).isEqualTo(1);

        assertThat(set.get("VirtualService", "shop", "a")).isSameAs(loaded.get(3));
        assertThat(set.get("DestinationRule", "shop", "a")).isSameAs(loaded.get(1));
        assertThat(set.get("Gateway", "shop", "a")).isNull();
    }
}
