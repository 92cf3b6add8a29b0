package io.shadowgate.testkit.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Proves the whole chain: Netty instantiates {@link FailingLeakDetector} from the system property, a leaked buffer
 * ends up in its report list, and {@link LeakCheckExtension} turns it into a failure. Every test clears what it
 * provoked, so the extension does not fail this class.
 */
class FailingLeakDetectorTest {

    @AfterEach
    void clear() {
        FailingLeakDetector.clearReports();
    }

    @Test
    void nettyUsesTheFailingDetector() {
        assertThat(System.getProperty("io.netty.customResourceLeakDetector"))
                .isEqualTo(FailingLeakDetector.class.getName());
    }

    @Test
    void aLeakedByteBufIsReported() {
        leakAnUnpooledBuffer();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            LeakCheckExtension.collectLeaks();
            return FailingLeakDetector.reports().stream().anyMatch(r -> r.records().contains("leakAnUnpooledBuffer"));
        });

        LeakReport report = FailingLeakDetector.reports().stream()
                .filter(r -> r.records().contains("leakAnUnpooledBuffer")).findFirst().orElseThrow();
        assertThat(report.resourceType()).isEqualTo("ByteBuf");
        assertThat(report.traced()).isTrue();
    }

    @Test
    void verifyNoLeaksFailsWithTheLeakRecordsAndClears() {
        leakAPooledBuffer();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !LeakCheckExtension.collectLeaks().isEmpty());

        assertThatThrownBy(() -> LeakCheckExtension.verifyNoLeaks("this test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak(s) reported during this test")
                .hasMessageContaining("leakAPooledBuffer");
        assertThat(FailingLeakDetector.reports()).isEmpty();
    }

    @Test
    void noLeaksMeansNoFailure() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        buf.release();

        LeakCheckExtension.verifyNoLeaks("a clean test");
    }

    @Test
    void theAutoDetectedExtensionFailsALeakingTestClass() {
        LeakyFixture.enabled = true;
        try {
            Events containers = EngineTestKit.engine("junit-jupiter")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .selectors(selectClass(LeakyFixture.class))
                    .execute()
                    .containerEvents();

            containers.assertStatistics(stats -> stats.failed(1));
            Event failed = containers.failed().list().get(0);
            Throwable cause = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
            assertThat(cause).isInstanceOf(AssertionError.class).hasMessageContaining("leakInFixture");
        } finally {
            LeakyFixture.enabled = false;
        }
    }

    // Separate methods so that the buffer is unreachable once they return, and so the leak record names them.

    private static void leakAnUnpooledBuffer() {
        // Direct on purpose: Netty does not leak-track unpooled heap buffers (the GC reclaims them anyway).
        ByteBuf leaked = UnpooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeInt(1);
    }

    private static void leakAPooledBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeInt(2);
    }

    /** Run only through EngineTestKit above (surefire skips nested classes, and the flag guards it anyway). */
    static class LeakyFixture {
        static volatile boolean enabled;

        static boolean enabled() {
            return enabled;
        }

        @Test
        @EnabledIf("enabled")
        void leaks() {
            leakInFixture();
        }

        private static void leakInFixture() {
            ByteBuf leaked = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
            leaked.writeByte(3);
        }
    }
}
