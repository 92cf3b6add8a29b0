package io.shadowgate.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * How an HTTP/1 listener answers HTTP/2, which it does not serve yet: a client that starts with the prior-knowledge
 * preface ({@code PRI * HTTP/2.0}) gets an empty SETTINGS frame and a GOAWAY with error {@code HTTP_1_1_REQUIRED}
 * (RFC 9113 §7) and a debug text saying why, so curl and gRPC clients report the reason instead of a framing error;
 * an {@code Upgrade: h2c} request is refused with 400 and the same sentence ({@link StrictRequestValidator}).
 */
final class Http2Refusal {

    /** The scanner's reason for a request line whose version is {@code HTTP/2.0} (the prior-knowledge preface). */
    static final String PRIOR_KNOWLEDGE = "HTTP/2 is not supported yet: use HTTP/1.1";

    /** The validator's reason for {@code Upgrade: h2c} and {@code HTTP2-Settings}. */
    static final String H2C_UPGRADE = "HTTP/2 (h2c upgrade) is not supported yet: use HTTP/1.1 without Upgrade: h2c";

    private static final int HTTP_1_1_REQUIRED = 0xd;
    private static final byte TYPE_SETTINGS = 0x4;
    private static final byte TYPE_GOAWAY = 0x7;

    private Http2Refusal() {
    }

    /** The metric/log token for a refusal reason: {@code http2_prior_knowledge}, {@code h2c_upgrade}, or null. */
    static String token(String reason) {
        if (PRIOR_KNOWLEDGE.equals(reason)) {
            return "http2_prior_knowledge";
        }
        if (H2C_UPGRADE.equals(reason)) {
            return "h2c_upgrade";
        }
        return null;
    }

    /** The server's connection preface (an empty SETTINGS frame) followed by GOAWAY(HTTP_1_1_REQUIRED). */
    static ByteBuf goAway(ByteBufAllocator alloc) {
        byte[] debug = PRIOR_KNOWLEDGE.getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = alloc.buffer(9 + 9 + 8 + debug.length);
        frameHeader(out, 0, TYPE_SETTINGS);
        frameHeader(out, 8 + debug.length, TYPE_GOAWAY);
        out.writeInt(0); // last stream id: no stream was processed
        out.writeInt(HTTP_1_1_REQUIRED);
        out.writeBytes(debug);
        return out;
    }

    private static void frameHeader(ByteBuf out, int length, byte type) {
        out.writeMedium(length);
        out.writeByte(type);
        out.writeByte(0); // flags
        out.writeInt(0); // stream 0: connection-level
    }
}
