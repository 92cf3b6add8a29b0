package io.shadowgate.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.proxy.options.ProxyOptions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which requests get a noise sample: safe methods, all while learning then a share, under a per-destination cap. */
class NoiseSamplerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private NoiseSampler sampler(ProxyOptions options) {
        return new NoiseSampler(options, now::get);
    }

    private static MirrorOptions route(Double perSecond, Set<String> methods) {
        return new MirrorOptions(Set.of(), Set.of(), HeaderOps.NONE, null, null, null, null, null, perSecond, methods);
    }

    @Test
    void onlySafeMethodsUnlessTheRouteNamesOthers() {
        NoiseSampler s = sampler(ProxyOptions.builder().compareNoiseSamplePercent(15)
                .compareNoiseSamplesPerSecond(1_000).build());
        assertThat(s.decide("v1", "GET", MirrorOptions.DEFAULTS)).isEqualTo(NoiseSampler.Decision.SAMPLE);
        assertThat(s.decide("v1", "HEAD", MirrorOptions.DEFAULTS)).isEqualTo(NoiseSampler.Decision.SAMPLE);
        assertThat(s.decide("v1", "OPTIONS", MirrorOptions.DEFAULTS)).isEqualTo(NoiseSampler.Decision.SAMPLE);
        for (String unsafe : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            assertThat(s.decide("v1", unsafe, MirrorOptions.DEFAULTS)).as(unsafe).isEqualTo(NoiseSampler.Decision.NO);
        }
        assertThat(s.decide("v1", "POST", route(null, Set.of("POST")))).isEqualTo(NoiseSampler.Decision.SAMPLE);
        assertThat(s.decide("v1", "GET", route(null, Set.of("POST")))).isEqualTo(NoiseSampler.Decision.NO);
        assertThat(s.sent("v1")).isEqualTo(4);
    }

    @Test
    void everyRequestWhileLearningThenTheShare() {
        NoiseSampler s = sampler(ProxyOptions.builder().compareNoiseSampleLearning(100).compareNoiseSamplePercent(10)
                .compareNoiseSamplesPerSecond(1_000_000).build());
        for (int i = 0; i < 100; i++) {
            assertThat(s.decide("v1", "GET", MirrorOptions.DEFAULTS)).isEqualTo(NoiseSampler.Decision.SAMPLE);
            now.addAndGet(1_000_000_000L);
        }
        int sampled = 0;
        for (int i = 0; i < 10_000; i++) {
            sampled += s.decide("v1", "GET", MirrorOptions.DEFAULTS) == NoiseSampler.Decision.SAMPLE ? 1 : 0;
            now.addAndGet(1_000_000_000L);
        }
        // 10% of 10,000: far outside [700, 1300] has a probability below 1e-20.
        assertThat(sampled).isBetween(700, 1_300);
        // Another destination learns on its own.
        assertThat(s.decide("other", "GET", MirrorOptions.DEFAULTS)).isEqualTo(NoiseSampler.Decision.SAMPLE);
    }

    @Test
    void extraLoadOnEachPrimaryDestinationIsCapped() {
        NoiseSampler s = sampler(ProxyOptions.builder().compareNoiseSamplePercent(15).compareNoiseSamplesPerSecond(10)
                .build());
        int sampled = 0;
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            NoiseSampler.Decision d = s.decide("v1", "GET", MirrorOptions.DEFAULTS);
            sampled += d == NoiseSampler.Decision.SAMPLE ? 1 : 0;
            limited += d == NoiseSampler.Decision.RATE_LIMITED ? 1 : 0;
        }
        // A burst of one second's worth, then nothing until time passes.
        assertThat(sampled).isEqualTo(10);
        assertThat(limited).isEqualTo(90);
        assertThat(s.rateLimited("v1")).isEqualTo(90);
        now.addAndGet(500_000_000L);
        sampled = 0;
        for (int i = 0; i < 100; i++) {
            sampled += s.decide("v1", "GET", MirrorOptions.DEFAULTS) == NoiseSampler.Decision.SAMPLE ? 1 : 0;
        }
        assertThat(sampled).isEqualTo(5);
        // The route's own cap wins; 0 forbids samples.
        assertThat(s.decide("w1", "GET", route(0.0, null))).isEqualTo(NoiseSampler.Decision.NO);
        NoiseSampler slow = sampler(ProxyOptions.builder().compareNoiseSamplePercent(15)
                .compareNoiseSamplesPerSecond(1_000).build());
        assertThat(slow.decide("v1", "GET", route(0.5, null))).isEqualTo(NoiseSampler.Decision.SAMPLE);
        assertThat(slow.decide("v1", "GET", route(0.5, null))).isEqualTo(NoiseSampler.Decision.RATE_LIMITED);
        now.addAndGet(2_000_000_000L);
        assertThat(slow.decide("v1", "GET", route(0.5, null))).isEqualTo(NoiseSampler.Decision.SAMPLE);
    }

    @Test
    void zeroShareTurnsSamplesOffAndIsTheLibraryDefault() {
        assertThat(ProxyOptions.defaults().capture().noiseSamplePercent()).isZero();
        NoiseSampler s = sampler(ProxyOptions.builder().compareNoiseSamplePercent(0).build());
        assertThat(s.decide("v1", "GET", MirrorOptions.DEFAULTS)).isEqualTo(NoiseSampler.Decision.NO);
    }
}
