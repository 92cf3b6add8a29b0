package io.shadowgate.compare.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplatesTest {

    @ParameterizedTest
    @CsvSource({
        "/users/123, /users/{id}",
        "/orders/550e8400-e29b-41d4-a716-446655440000/items, /orders/{id}/items",
        "/blobs/5f2b9c0d1e3a4b6c7d8e, /blobs/{id}",
        "/tokens/dGhpcyBpcyBhIHRva2VuMTIz, /tokens/{id}",
        "/days/2024-01-15, /days/{id}",
        "/api/v1/items, /api/v1/items",
        "/api/v2/oauth2/callback, /api/v2/oauth2/callback",
        "/users/123/orders/456?x=1, /users/{id}/orders/{id}",
        "/, /",
        "'', /",
        "/users/, /users/",
        "/items/ord_00017, /items/{id}",
        "/items/checkout, /items/checkout",
    })
    void templates(String path, String expected) {
        assertThat(PathTemplates.template(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"123", "550E8400-E29B-41D4-A716-446655440000", "deadbeef0deadbeef"})
    void idLike(String s) {
        assertThat(PathTemplates.isIdLike(s)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"v1", "items", "deadbeef", "price", "sha256", "user-profile", "abcdefabcdefabcdef"})
    void notIdLike(String s) {
        assertThat(PathTemplates.isIdLike(s)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void longPathsAreCapped() {
        String t = PathTemplates.template("/" + "a".repeat(10_000));
        assertThat(t).hasSize(PathTemplates.MAX_TEMPLATE_LENGTH).endsWith("…");
    }

    @org.junit.jupiter.api.Test
    void groupKeyTemplatesAndNormalises() {
        GroupKey k = GroupKey.of("r", "get", "/users/42");
        assertThat(k).isEqualTo(new GroupKey("r", "GET", "/users/{id}"));
        assertThat(k.toString()).isEqualTo("r GET /users/{id}");
        assertThat(GroupKey.OTHER.overflow()).isTrue();
    }
}
