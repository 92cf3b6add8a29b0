package io.shadowgate.proxy.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Generated {@code x-request-id} values: version 4 (random) UUIDs in the canonical 36-character form, drawn from
 * {@link ThreadLocalRandom} rather than {@link java.util.UUID#randomUUID()} (a {@code SecureRandom} behind a lock).
 * Request ids correlate logs and mirrors; they are not secrets, and Envoy's are not cryptographic either.
 */
final class RequestIds {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RequestIds() {
    }

    /** A random version 4, variant 1 (RFC 9562) UUID, lower-case hex. */
    static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        byte[] out = new byte[36];
        hex(msb >>> 32, out, 0, 8);
        out[8] = '-';
        hex(msb >>> 16, out, 9, 4);
        out[13] = '-';
        hex(msb, out, 14, 4);
        out[18] = '-';
        hex(lsb >>> 48, out, 19, 4);
        out[23] = '-';
        hex(lsb, out, 24, 12);
        // ISO-8859-1 bytes become a compact Latin-1 String without a decoding pass.
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Writes the low {@code digits} hex digits of {@code value} into {@code out} at {@code at}. */
    private static void hex(long value, byte[] out, int at, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
