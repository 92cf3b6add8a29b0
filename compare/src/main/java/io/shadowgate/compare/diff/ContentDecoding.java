package io.shadowgate.compare.diff;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Undoes {@code content-encoding} so that bodies are compared by meaning, not by compressed bytes.
 *
 * <p>{@code gzip}/{@code x-gzip} and {@code deflate} (zlib-wrapped, or raw as some servers send it)
 * are decoded, in reverse order of a list such as {@code deflate, gzip}; {@code identity} is a no-op.
 * Anything else ({@code br}, {@code zstd}...) is left as is and compared by digest only, because the
 * JDK has no decoder for it. Output is bounded: a body that decodes to more than the bound is
 * reported as oversized instead of being inflated (compression bombs). Static, thread-safe.
 */
final class ContentDecoding {

    /** How a body could be decoded. */
    enum Status {
        /** Decoded (or not encoded); bytes are the payload. */
        OK,
        /** Unsupported encoding; bytes are the raw, still encoded body. */
        DIGEST_ONLY,
        /** Declared encoding could not be decoded; bytes are the raw body. */
        CORRUPT,
        /** The decoded body exceeds the bound. */
        OVERSIZED
    }

    record Decoded(byte[] bytes, Status status) {
    }

    private ContentDecoding() {
    }

    static Decoded decode(byte[] body, String contentEncoding, long maxBytes) {
        if (contentEncoding == null || contentEncoding.isBlank() || body.length == 0) {
            return body.length > maxBytes ? new Decoded(body, Status.OVERSIZED) : new Decoded(body, Status.OK);
        }
        String[] codings = contentEncoding.toLowerCase(Locale.ROOT).split(",");
        for (String c : codings) {
            String t = c.strip();
            if (!t.equals("gzip") && !t.equals("x-gzip") && !t.equals("deflate") && !t.equals("identity")
                    && !t.isEmpty()) {
                return new Decoded(body, Status.DIGEST_ONLY);
            }
        }
        byte[] current = body;
        try {
            // Codings are listed in the order they were applied, so undo them last-first.
            for (int i = codings.length - 1; i >= 0; i--) {
                String t = codings[i].strip();
                if (t.equals("gzip") || t.equals("x-gzip")) {
                    current = readBounded(new GZIPInputStream(new ByteArrayInputStream(current)), maxBytes);
                } else if (t.equals("deflate")) {
                    current = inflate(current, maxBytes);
                }
                if (current == null) {
                    return new Decoded(body, Status.OVERSIZED);
                }
            }
        } catch (IOException | DataFormatException e) {
            return new Decoded(body, Status.CORRUPT);
        }
        return new Decoded(current, Status.OK);
    }

    /** Reads at most {@code maxBytes}; returns {@code null} when there is more. */
    private static byte[] readBounded(InputStream in, long maxBytes) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    return null;
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static byte[] inflate(byte[] data, long maxBytes) throws DataFormatException {
        try {
            return inflate(data, maxBytes, false);
        } catch (DataFormatException e) {
            // HTTP "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
            return inflate(data, maxBytes, true);
        }
    }

    private static byte[] inflate(byte[] data, long maxBytes, boolean nowrap) throws DataFormatException {
        Inflater inflater = new Inflater(nowrap);
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw new DataFormatException("truncated deflate stream after " + total + " bytes");
                    }
                }
                total += n;
                if (total > maxBytes) {
                    return null;
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
