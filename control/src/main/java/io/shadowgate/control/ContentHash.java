package io.shadowgate.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over a sequence of byte strings, each prefixed by its length (so {@code "ab","c"} and {@code "a","bc"}
 * differ): what sources use for {@link io.shadowgate.config.source.SourceContent#contentHash()}. Not thread-safe.
 */
public final class ContentHash {

    private final MessageDigest digest;

    /** An empty hash. */
    public ContentHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Adds {@code bytes}. */
    public ContentHash add(byte[] bytes) {
        long n = bytes.length;
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (n >>> shift));
        }
        digest.update(bytes);
        return this;
    }

    /** Adds {@code text} as UTF-8. */
    public ContentHash add(String text) {
        return add(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256:} and 64 hex digits. Finishes the hash. */
    public String finish() {
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** The hash of one string. */
    public static String of(String text) {
        return new ContentHash().add(text).finish();
    }
}
