package io.shadowgate.testkit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo app's endpoints, and that v1 and v2 differ exactly where documented. */
class FrontendAppTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static FrontendApp v1;
    private static FrontendApp v2;

    @BeforeAll
    static void start() {
        v1 = FrontendApp.start("v1", "127.0.0.1", 0);
        v2 = FrontendApp.start("v2", "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        v1.close();
        v2.close();
    }

    @Test
    void productDetailDiffersExactlyAsDocumented() throws Exception {
        JsonNode one = get(v1, "/api/products/1").body;
        JsonNode two = get(v2, "/api/products/1").body;

        assertThat(one.get("price").isNumber()).isTrue();
        assertThat(one.get("price").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(one.get("inStock").asBoolean()).isTrue();
        assertThat(one.has("available")).isFalse();
        assertThat(two.get("price").asText()).isEqualTo("19.99 EUR");
        assertThat(two.get("available").asBoolean()).isTrue();
        assertThat(two.has("inStock")).isFalse();
        assertThat(two.get("name")).isEqualTo(one.get("name"));
        assertThat(two.get("id")).isEqualTo(one.get("id"));
    }

    @Test
    void everythingElseIsIdenticalApartFromGeneratedAt() throws Exception {
        for (String path : List.of("/", "/api/products", "/api/health", "/api/products/99", "/nope")) {
            Answer one = get(v1, path);
            Answer two = get(v2, path);

            assertThat(two.status).as(path).isEqualTo(one.status);
            assertThat(withoutGeneratedAt(two.body)).as(path).isEqualTo(withoutGeneratedAt(one.body));
            assertThat(one.body.has("version")).as(path).isFalse();
        }
        Answer cart1 = post(v1, "/api/cart", "{\"items\":[{\"id\":1,\"qty\":2}]}");
        Answer cart2 = post(v2, "/api/cart", "{\"items\":[{\"id\":1,\"qty\":2}]}");
        assertThat(withoutGeneratedAt(cart2.body)).isEqualTo(withoutGeneratedAt(cart1.body));
    }

    @Test
    void versionOnlyInHeaderAndVersionEndpoint() throws Exception {
        Answer one = get(v1, "/api/version");
        Answer two = get(v2, "/api/version");

        assertThat(one.body.get("version").asText()).isEqualTo("v1");
        assertThat(two.body.get("version").asText()).isEqualTo("v2");
        assertThat(one.response.headers().firstValue("x-app-version")).hasValue("v1");
        assertThat(two.response.headers().firstValue("x-app-version")).hasValue("v2");
        assertThat(one.response.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void listsThreeProductsAndTheEndpoints() throws Exception {
        JsonNode products = get(v1, "/api/products").body.get("products");
        JsonNode index = get(v1, "/").body;

        assertThat(products).hasSize(3);
        assertThat(products.findValuesAsText("id")).containsExactly("1", "2", "3");
        assertThat(index.get("endpoints").toString()).contains("GET /api/products/{id}", "POST /api/cart");
        assertThat(get(v1, "/api/health").body.get("status").asText()).isEqualTo("UP");
    }

    @Test
    void unknownProductIs404Json() throws Exception {
        Answer answer = get(v2, "/api/products/42");

        assertThat(answer.status).isEqualTo(404);
        assertThat(answer.body.get("error").asText()).contains("42");
        assertThat(answer.response.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void cartComputesTheTotal() throws Exception {
        Answer answer = post(v1, "/api/cart", "{\"items\":[{\"id\":1,\"qty\":2},{\"id\":2,\"qty\":1}]}");

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body.get("total").decimalValue()).isEqualByComparingTo("89.48");
        assertThat(answer.body.get("currency").asText()).isEqualTo("EUR");
        assertThat(answer.body.get("items").get(0).get("lineTotal").decimalValue()).isEqualByComparingTo("39.98");
    }

    @Test
    void malformedCartsAre400() throws Exception {
        assertThat(post(v1, "/api/cart", "not json").status).isEqualTo(400);
        assertThat(post(v1, "/api/cart", "{\"items\":[{\"id\":9,\"qty\":1}]}").status).isEqualTo(400);
        assertThat(post(v1, "/api/cart", "{\"items\":[{\"id\":1,\"qty\":0}]}").status).isEqualTo(400);
        assertThat(post(v1, "/api/cart", "{}").status).isEqualTo(400);
        assertThat(get(v1, "/api/cart").status).isEqualTo(405);
    }

    @Test
    void generatedAtIsMillisecondIsoAndDiffersOnEveryCall() throws Exception {
        String first = get(v1, "/api/health").body.get("generatedAt").asText();
        String second = get(v1, "/api/health").body.get("generatedAt").asText();

        assertThat(first).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(second).isNotEqualTo(first);
        assertThat(Instant.parse(second)).isAfter(Instant.parse(first));
    }

    @Test
    void rejectsUnknownVersions() {
        assertThatThrownBy(() -> FrontendApp.start("v3", "127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> response) {
    }

    private static Answer get(FrontendApp app, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(app, path)).timeout(TIMEOUT).build());
    }

    private static Answer post(FrontendApp app, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(app, path)).timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
    }

    private static URI uri(FrontendApp app, String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private static JsonNode withoutGeneratedAt(JsonNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove("generatedAt");
        return copy;
    }
}
