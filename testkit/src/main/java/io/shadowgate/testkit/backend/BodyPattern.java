package io.shadowgate.testkit.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic byte pattern used for generated bodies ({@code x-testkit-body-bytes}, {@link Behavior#ENDLESS_BODY}):
 * the byte at offset {@code k} is {@code ALPHABET[k % 64]} with the 64-character base64 alphabet
 * ({@code A-Z a-z 0-9 + /}). It is printable, so it is readable in failure messages, and periodic, so any
 * length can be produced or verified without holding it in memory.
 *
 * <p>Thread-safe: all state is immutable. Buffers returned by {@link #chunk(int)} are read-only views over one
 * shared off-heap block; they are not tracked by Netty's leak detector (nothing is allocated) and releasing them is a
 * no-op, but the usual ownership rule still applies: whoever receives one passes it on or releases it.
 */
public final class BodyPattern {

    /** Length of the repeating unit. Chunk sizes are multiples of it so every chunk starts at pattern offset 0. */
    public static final int PERIOD = 64;

    /** Largest chunk {@link #chunk(int)} returns; the backend streams generated bodies in chunks of this size. */
    public static final int MAX_CHUNK = 64 * 1024;

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    /** One {@link #MAX_CHUNK} block of the pattern, off-heap so socket writes need no copy, read-only so it is safe to share. */
    private static final ByteBuffer BLOCK;

    static {
        ByteBuffer block = ByteBuffer.allocateDirect(MAX_CHUNK);
        for (int i = 0; i < MAX_CHUNK; i++) {
            block.put(ALPHABET[i % PERIOD]);
        }
        block.flip();
        BLOCK = block.asReadOnlyBuffer();
    }

    private BodyPattern() {
    }

    /** The pattern byte at {@code offset}. */
    public static byte byteAt(long offset) {
        return ALPHABET[(int) (offset % PERIOD)];
    }

    /** The first {@code length} bytes of the pattern, as a new array. Use {@link #stream(long)} for large sizes. */
    public static byte[] bytes(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[i % PERIOD];
        }
        return out;
    }

    /** Lower-case hex SHA-256 of the first {@code length} bytes of the pattern, computed without materialising them. */
    public static String sha256Hex(long length) {
        MessageDigest digest = sha256();
        byte[] block = bytes(MAX_CHUNK);
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, MAX_CHUNK);
            digest.update(block, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * An input stream producing the first {@code length} bytes of the pattern on demand, for streaming uploads
     * ({@code BodyPublishers.ofInputStream(() -> BodyPattern.stream(n))}). Not thread-safe, like any InputStream.
     */
    public static InputStream stream(long length) {
        return new PatternInputStream(length);
    }

    /**
     * A read-only {@link ByteBuf} with the first {@code length} (≤ {@link #MAX_CHUNK}) bytes of the pattern.
     * Allocation-free: it wraps the shared off-heap block.
     */
    static ByteBuf chunk(int length) {
        if (length < 0 || length > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk length " + length + " not in [0, " + MAX_CHUNK + "]");
        }
        if (length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        // duplicate() gives an independent position/limit over the same memory, so concurrent callers never interfere.
        return Unpooled.wrappedBuffer(BLOCK.duplicate().limit(length));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static final class PatternInputStream extends InputStream {
        private static final byte[] HEAP_BLOCK = bytes(MAX_CHUNK);
        private final long length;
        private long position;

        PatternInputStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            return ALPHABET[(int) (position++ % PERIOD)];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            // HEAP_BLOCK is a whole number of periods, so its index (position % MAX_CHUNK) is in phase with position.
            int from = (int) (position % MAX_CHUNK);
            int n = (int) Math.min(Math.min(len, length - position), MAX_CHUNK - from);
            System.arraycopy(HEAP_BLOCK, from, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position);
        }
    }
}
