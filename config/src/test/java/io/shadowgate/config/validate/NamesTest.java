package io.shadowgate.config.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.StringMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The syntax checks behind the rules, table by table. */
class NamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "reviews, true",
        "reviews.default.svc.cluster.local, true",
        "Reviews.Example.COM, true",
        "*, true",
        "*.example.com, true",
        "*foo.example.com, true",
        "istio.io., true",
        "foo.*.com, false",
        "a..b, false",
        "-a.com, false",
        "a_b.com, false",
        "10.0.0.1, false",
        "'', false",
    })
    void wildcardDomain(String host, boolean valid) {
        assertThat(Names.wildcardDomain(host) == null).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.0/8, true", "10.0.0.1, true", "::/0, true", "10.0.0.0/33, false", "10.0.0.0/, false",
        "fd00::/129, false", "host/8, false",
    })
    void ipOrCidr(String s, boolean valid) {
        assertThat(Names.ipOrCidr(s) == null).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} allowZero={1} -> {2}")
    @CsvSource({
        "1ms, false, true", "1.5s, false, true", "0s, false, false", "0s, true, true", "100us, false, false",
        "1.0005s, false, false", "10x, false, false", "1h30m, false, true",
    })
    void duration(String text, boolean allowZero, boolean valid) {
        assertThat(Names.duration(text, allowZero) == null).isEqualTo(valid);
    }

    @Test
    void labels() {
        assertThat(Names.labelsProblem(Map.of("app.kubernetes.io/name", "web", "version", ""))).isNull();
        assertThat(Names.labelsProblem(Map.of("a/b/c", "x"))).contains("label key");
        assertThat(Names.labelsProblem(Map.of("version", "-v1"))).contains("label value");
    }

    @Test
    void exportTo() {
        assertThat(Names.exportTo(List.of(".", "team-a", "~"))).isNull();
        assertThat(Names.exportTo(List.of("*", "."))).contains("cannot be combined");
        assertThat(Names.exportTo(List.of("a", "a"))).contains("twice");
        assertThat(Names.exportTo(List.of("Team_A"))).contains("not '.', '*' or a namespace");
    }

    @Test
    void headerValues() {
        assertThat(HttpRouteRules.headerValueProblem("%REQ(x-user)% and 100%%")).isNull();
        assertThat(HttpRouteRules.headerValueProblem("%START_TIME(%s)%")).isNull();
        assertThat(HttpRouteRules.headerValueProblem("50%")).contains("unescaped %");
        assertThat(HttpRouteRules.headerValueProblem("%REQ(x")).contains("missing )");
        assertThat(HttpRouteRules.headerValueProblem("%HOSTNAME")).contains("not closed");
    }

    private static HTTPMatchRequest uri(StringMatch uri, Boolean ignoreCase) {
        return new HTTPMatchRequest(null, uri, null, null, null, null, null, null, ignoreCase, null, null, null, null,
                null);
    }

    @Test
    void coverage() {
        var api = uri(new StringMatch(null, "/api", null), null);
        var apiV1 = uri(new StringMatch(null, "/api/v1", null), null);
        var apiExact = uri(new StringMatch("/api", null, null), null);
        var apiUpper = uri(new StringMatch(null, "/API/v1", null), true);
        var root = uri(new StringMatch(null, "/", null), null);
        var withHeader = new HTTPMatchRequest(null, new StringMatch(null, "/api/x", null), null, null, null,
                Map.of("x-user", new StringMatch("a", null, null)), null, null, null, null, null, null, null, null);
        var headerOnly = new HTTPMatchRequest(null, null, null, null, null,
                Map.of("x-user", new StringMatch(null, null, null)), null, null, null, null, null, null, null, null);
        assertThat(RuleOrder.covers(api, apiV1)).isTrue();
        assertThat(RuleOrder.covers(api, apiExact)).isTrue();
        assertThat(RuleOrder.covers(apiV1, api)).isFalse();
        assertThat(RuleOrder.covers(api, apiUpper)).as("case-insensitive takes more").isFalse();
        assertThat(RuleOrder.covers(root, headerOnly)).isTrue();
        assertThat(RuleOrder.covers(api, withHeader)).isTrue();
        assertThat(RuleOrder.covers(headerOnly, withHeader)).as("presence is implied by an exact value").isTrue();
        assertThat(RuleOrder.covers(withHeader, api)).isFalse();
    }
}
