package io.shadowgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The IP literal syntax the validator and the compiler share (moved from the validator's NamesTest). */
class IstioSyntaxTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.1, true", "255.255.255.255, true", "256.1.1.1, false", "1.2.3, false",
        "::1, true", "fe80::1:2, true", "2001:db8::, true", "1:2:3:4:5:6:7:8, true", "1:2:3:4:5:6:7:8:9, false",
        "::ffff:10.0.0.1, true", "1::2::3, false", "g::1, false", "example.com, false",
    })
    void ip(String s, boolean valid) {
        assertThat(IstioSyntax.isIp(s)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Without "::" every group must be there: a stray leading or trailing colon is not an address.
        "':1:2:3:4:5:6:7:8', false", "'1:2:3:4:5:6:7:8:', false", "'1:2:3:4:5:6:7:', false",
        "'::', true", "'1::', true", "'::1.2.3.4', true", "'1.2.3.4::', false", "'12345::1', false",
        "'[::1]', false", "'fe80::1%eth0', false",
    })
    void ipv6(String s, boolean valid) {
        assertThat(IstioSyntax.isIpv6(s)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'[::1]', '::1'", "'fe80::1%eth0', 'fe80::1'", "'[fe80::1%25eth0]', 'fe80::1'", "'::1', '::1'",
        "'10.0.0.1', '10.0.0.1'"})
    void bracketsAndZoneComeOff(String s, String bare) {
        assertThat(IstioSyntax.withoutBracketsAndZone(s)).isEqualTo(bare);
        assertThat(IstioSyntax.isIp(bare)).isTrue();
    }
}
