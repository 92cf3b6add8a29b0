package io.shadowgate.proxy.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport choice: epoll when Netty's native library loads, NIO otherwise, and what --transport asks. */
class TransportTest {

    @AfterEach
    void backToAuto() {
        Transport.prefer("auto");
    }

    @Test
    void autoPicksEpollExactlyWhenItIsAvailable() {
        Transport t = Transport.prefer("AUTO");
        assertThat(t).isEqualTo(Transport.epollAvailable() ? Transport.EPOLL : Transport.NIO);
        assertThat(Transport.best()).isEqualTo(t);
    }

    @Test
    void nioOnRequestAndEpollOnlyWhenItLoads() {
        assertThat(Transport.prefer("nio")).isEqualTo(Transport.NIO);
        assertThat(Transport.best()).isEqualTo(Transport.NIO);
        assertThat(Transport.NIO.serverChannel()).isEqualTo(NioServerSocketChannel.class);
        if (Transport.epollAvailable()) {
            assertThat(Transport.prefer("epoll")).isEqualTo(Transport.EPOLL);
            assertThat(Transport.EPOLL.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
        } else {
            assertThatThrownBy(() -> Transport.prefer("epoll")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("native epoll is unavailable");
        }
        assertThatThrownBy(() -> Transport.prefer("kqueue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nio, epoll or auto");
    }

    @Test
    void groupsOfEitherTransportStart() throws Exception {
        for (Transport t : Transport.values()) {
            if (t == Transport.EPOLL && !Transport.epollAvailable()) {
                continue;
            }
            EventLoopGroup g = t.newGroup(1, "transport-test");
            try {
                assertThat(g.submit(() -> 42).get()).isEqualTo(42);
            } finally {
                g.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void theChoiceIsOneQuietInfoLineWithoutTheLoadersError() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Transport.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            Transport.prefer("auto");
        } finally {
            logger.detachAppender(logs);
        }
        var shown = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                .toList();
        assertThat(shown).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
            assertThat(e.getFormattedMessage()).startsWith("transport: ").doesNotContain("UnsatisfiedLinkError")
                    .doesNotContain("Exception").doesNotContain("\n");
        });
    }
}
