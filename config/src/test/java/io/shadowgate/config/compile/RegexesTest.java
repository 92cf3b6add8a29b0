package io.shadowgate.config.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One compilation compiles each distinct regex once, and reports an invalid one the same way every time. */
class RegexesTest {

    @Test
    void eachRegexIsCompiledOnce() {
        Regexes regexes = new Regexes();
        assertThat(regexes.compile("/a/[0-9]+")).isSameAs(regexes.compile("/a/[0-9]+"));
        assertThat(regexes.compile("/a/[0-9]+")).isNotSameAs(regexes.compile("/b/[0-9]+"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> regexes.compile("(")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("regex \"(\" is not valid RE2");
        }
    }
}
