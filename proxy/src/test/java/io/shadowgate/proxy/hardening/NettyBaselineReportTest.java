package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which corpus cases Netty's HTTP decoder alone (configured as the gateway configures it) would let through, i.e. what
 * the gateway's own layers ({@code RawRequestScanner}, {@code StrictRequestValidator}) are there for. Writes
 * {@code target/netty-baseline.txt}; {@code docs/hardening.md} quotes it. Re-read it after a Netty upgrade.
 */
class NettyBaselineReportTest {

    @Test
    void reportWhatNettyAloneAccepts() throws IOException {
        List<String> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (RawCorpus.Case c : RawCorpus.load()) {
            if (c.id().startsWith("ok-") || c.statuses().contains(408)) {
                continue;
            }
            HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(8192)
                    .setMaxHeaderSize(60 * 1024).setMaxChunkSize(64 * 1024).setAllowDuplicateContentLengths(false)
                    .setValidateHeaders(true);
            EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(config));
            boolean failed = false;
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(c.request()));
                Object m;
                while ((m = ch.readInbound()) != null) {
                    if (m instanceof HttpObject o && o.decoderResult().isFailure()) {
                        failed = true;
                    }
                    ReferenceCountUtil.release(m);
                }
            } finally {
                ch.finishAndReleaseAll();
            }
            (failed ? rejected : accepted).add(c.id());
        }
        String netty = Version.identify().getOrDefault("netty-codec-http", null) == null ? "?"
                : Version.identify().get("netty-codec-http").artifactVersion();
        String report = "Netty " + netty + " decoder alone accepts " + accepted.size() + " of "
                + (accepted.size() + rejected.size()) + " bad corpus cases:\n  " + String.join("\n  ", accepted)
                + "\nand rejects " + rejected.size() + ":\n  " + String.join("\n  ", rejected) + "\n";
        Path out = Path.of("target", "netty-baseline.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(accepted.size() + rejected.size()).isGreaterThanOrEqualTo(60);
    }
}
