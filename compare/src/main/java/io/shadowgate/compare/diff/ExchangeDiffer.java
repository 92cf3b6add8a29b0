package io.shadowgate.compare.diff;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.noise.IgnoreRules;
import io.shadowgate.compare.noise.ValueShape;
import io.shadowgate.compare.settings.CompareSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares a primary answer with a mirror answer: status, headers, then the decoded body.
 *
 * <ul>
 *   <li>A failed mirror is one {@link DiffKind#MIRROR_FAILED} difference; a failed primary means the
 *       exchange is skipped ({@link ExchangeDiff#PRIMARY_FAILED}).</li>
 *   <li>Headers are compared by name (order between names does not matter, order of repeated values
 *       does), except names covered by the ignore rules.</li>
 *   <li>Bodies are compared only when both statuses are in the same class (2xx, 4xx...), since an
 *       error page differing from a normal body is a consequence of the status difference already
 *       reported. A truncated body on either side is not compared ({@link ExchangeDiff#OVERSIZED}).
 *       Bodies are decoded ({@link ContentDecoding}) and then compared as JSON, text or binary
 *       ({@link BodyFormat}); different formats are one {@link DiffKind#TYPE_CHANGED} at {@code body}.</li>
 * </ul>
 *
 * <p>Stateless apart from immutable bounds: thread-safe.
 */
public final class ExchangeDiffer {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final int MAX_DETAIL_LENGTH = 64;

    private final long maxDecodedBodyBytes;
    private final int maxDifferences;
    private final int maxValueLength;

    /** A differ with the bounds of {@code settings}. */
    public ExchangeDiffer(CompareSettings settings) {
        this(settings.maxDecodedBodyBytes(), settings.maxDifferencesPerExchange(), settings.maxValueLength());
    }

    /**
     * @param maxDecodedBodyBytes bound on a body after content decoding
     * @param maxDifferences      bound on differences collected per exchange
     * @param maxValueLength      length at which values are cut
     */
    public ExchangeDiffer(long maxDecodedBodyBytes, int maxDifferences, int maxValueLength) {
        if (maxDecodedBodyBytes < 1 || maxDifferences < 1 || maxValueLength < 2) {
            throw new IllegalArgumentException("bounds must be positive (maxValueLength >= 2), got maxDecodedBodyBytes="
                    + maxDecodedBodyBytes + ", maxDifferences=" + maxDifferences + ", maxValueLength=" + maxValueLength);
        }
        this.maxDecodedBodyBytes = maxDecodedBodyBytes;
        this.maxDifferences = maxDifferences;
        this.maxValueLength = maxValueLength;
    }

    /** Compares the two answers, leaving out what {@code rules} ignore. */
    public ExchangeDiff diff(CapturedResponse primary, CapturedResponse mirror, IgnoreRules rules) {
        return diff(primary, mirror, rules, Set.of());
    }

    /**
     * Compares the two answers, leaving out what {@code rules} ignore, and reports in
     * {@link ExchangeDiff#observed()} which of the {@code watched} locations (grouping paths such as
     * {@code $.items[*].ts}, {@code header:x-trace}, {@code body}) were present on both sides, equal
     * or not. Noise evidence needs it: a timestamp that happened to be equal was still observed.
     *
     * @param watched locations to report on; read only (a concurrent view is fine)
     */
    public ExchangeDiff diff(CapturedResponse primary, CapturedResponse mirror, IgnoreRules rules,
            Set<String> watched) {
        return diff(primary, mirror, rules, watched, Set.of());
    }

    /**
     * As {@link #diff(CapturedResponse, CapturedResponse, IgnoreRules, Set)}, comparing the JSON arrays at the
     * {@code unordered} grouping paths as multisets ({@link DiffKind#SET_CHANGED} instead of order or element
     * differences): the primary's own version returns them in varying order, so their order is not part of the answer.
     *
     * @param unordered grouping paths such as {@code $.tags}; read only (a concurrent view is fine)
     */
    public ExchangeDiff diff(CapturedResponse primary, CapturedResponse mirror, IgnoreRules rules,
            Set<String> watched, Set<String> unordered) {
        if (primary.isFailed()) {
            return ExchangeDiff.skipped(ExchangeDiff.PRIMARY_FAILED);
        }
        DifferenceSink sink = new DifferenceSink(maxDifferences, maxValueLength, watched, unordered);
        if (mirror.isFailed()) {
            String reason = Values.truncate(mirror.failed(), MAX_DETAIL_LENGTH);
            sink.add("failure", "failure", DiffKind.MIRROR_FAILED, reason, "status " + primary.status(),
                    "failed: " + mirror.failed());
            return new ExchangeDiff(sink.differences(), false, null, null, Set.of());
        }
        if (primary.status() != mirror.status()) {
            sink.add("status", "status", DiffKind.STATUS_CHANGED, primary.status() + "→" + mirror.status(),
                    Integer.toString(primary.status()), Integer.toString(mirror.status()));
        }
        compareHeaders(primary, mirror, rules, sink);
        String bodySkipped = null;
        if (primary.status() / 100 == mirror.status() / 100) {
            bodySkipped = compareBodies(primary, mirror, rules, sink);
        }
        return new ExchangeDiff(sink.differences(), sink.truncated(), bodySkipped, null, sink.observed());
    }

    private static void compareHeaders(CapturedResponse primary, CapturedResponse mirror, IgnoreRules rules,
            DifferenceSink sink) {
        Map<String, String> a = headerMap(primary, rules);
        Map<String, String> b = headerMap(mirror, rules);
        for (Map.Entry<String, String> e : a.entrySet()) {
            String where = "header:" + e.getKey();
            String other = b.get(e.getKey());
            if (other != null) {
                sink.observe(where);
            }
            if (other == null) {
                sink.add(where, where, DiffKind.REMOVED, null, e.getValue(), null);
            } else if (!other.equals(e.getValue())) {
                String format = ValueShape.formatChange(e.getValue(), other);
                sink.add(where, where, format != null ? DiffKind.FORMAT_CHANGED : DiffKind.VALUE_CHANGED, format,
                        e.getValue(), other);
            }
        }
        for (Map.Entry<String, String> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) {
                String where = "header:" + e.getKey();
                sink.add(where, where, DiffKind.ADDED, null, null, e.getValue());
            }
        }
    }

    /** Header name → values joined with {@code ", "} in wire order, ignored names left out. */
    private static Map<String, String> headerMap(CapturedResponse r, IgnoreRules rules) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : r.headers()) {
            if (!rules.ignoresHeader(h.getKey())) {
                out.merge(h.getKey(), h.getValue(), (x, y) -> x + ", " + y);
            }
        }
        return out;
    }

    private String compareBodies(CapturedResponse primary, CapturedResponse mirror, IgnoreRules rules,
            DifferenceSink sink) {
        if (primary.bodyTruncated() || mirror.bodyTruncated()) {
            return ExchangeDiff.OVERSIZED;
        }
        ContentDecoding.Decoded a = ContentDecoding.decode(primary.body(), primary.header("content-encoding"),
                maxDecodedBodyBytes);
        ContentDecoding.Decoded b = ContentDecoding.decode(mirror.body(), mirror.header("content-encoding"),
                maxDecodedBodyBytes);
        if (a.status() == ContentDecoding.Status.OVERSIZED || b.status() == ContentDecoding.Status.OVERSIZED) {
            return ExchangeDiff.OVERSIZED;
        }
        if (a.status() != ContentDecoding.Status.OK || b.status() != ContentDecoding.Status.OK) {
            // br, zstd or a corrupt stream: the payload cannot be read, only its bytes compared.
            sink.observe("body");
            compareDigests(a.bytes(), b.bytes(), sink);
            return null;
        }
        Body pa = analyse(primary.header("content-type"), a.bytes());
        Body pb = analyse(mirror.header("content-type"), b.bytes());
        if (pa.format != pb.format) {
            sink.add("body", "body", DiffKind.TYPE_CHANGED, pa.format.label() + "→" + pb.format.label(),
                    pa.preview(), pb.preview());
            return null;
        }
        switch (pa.format) {
            case JSON -> new JsonDiffer(rules, sink).compare(pa.json, pb.json);
            case TEXT -> {
                sink.observe("body");
                TextDiffer.compare(pa.text, pb.text, sink);
            }
            case BINARY -> {
                sink.observe("body");
                compareDigests(pa.bytes, pb.bytes, sink);
            }
            case EMPTY -> {
                // Nothing to compare.
            }
        }
        return null;
    }

    private static void compareDigests(byte[] a, byte[] b, DifferenceSink sink) {
        String da = digest(a);
        String db = digest(b);
        if (!da.equals(db)) {
            sink.add("body", "body", DiffKind.DIGEST_CHANGED, null, "sha256:" + da + " (" + a.length + " bytes)",
                    "sha256:" + db + " (" + b.length + " bytes)");
        }
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** A decoded body and how it will be compared. */
    private record Body(BodyFormat format, byte[] bytes, JsonNode json, String text) {
        String preview() {
            return switch (format) {
                case EMPTY -> "";
                case JSON -> json.toString();
                case TEXT -> text;
                case BINARY -> "sha256:" + digest(bytes) + " (" + bytes.length + " bytes)";
            };
        }
    }

    private static Body analyse(String contentType, byte[] bytes) {
        if (bytes.length == 0) {
            return new Body(BodyFormat.EMPTY, bytes, null, null);
        }
        String mime = "";
        Charset charset = StandardCharsets.UTF_8;
        if (contentType != null) {
            String[] parts = contentType.split(";");
            mime = parts[0].strip().toLowerCase(Locale.ROOT);
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    charset = charset(p.substring(8).replace("\"", "").strip());
                }
            }
        }
        boolean jsonType = mime.endsWith("/json") || mime.endsWith("+json");
        if (jsonType || startsLikeJsonContainer(bytes)) {
            JsonNode node = parseJson(bytes);
            if (node != null && (jsonType || node.isContainerNode())) {
                return new Body(BodyFormat.JSON, bytes, node, null);
            }
        }
        boolean textType = mime.startsWith("text/") || mime.endsWith("/xml") || mime.endsWith("+xml")
                || mime.equals("application/x-www-form-urlencoded") || mime.equals("application/javascript")
                || mime.equals("application/x-ndjson") || jsonType;
        if (textType) {
            return new Body(BodyFormat.TEXT, bytes, null, new String(bytes, charset));
        }
        if (mime.isEmpty() || mime.equals("application/octet-stream")) {
            String text = strictUtf8(bytes);
            if (text != null) {
                return new Body(BodyFormat.TEXT, bytes, null, text);
            }
        }
        return new Body(BodyFormat.BINARY, bytes, null, null);
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static boolean startsLikeJsonContainer(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i < bytes.length && (bytes[i] == '{' || bytes[i] == '[');
    }

    private static JsonNode parseJson(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** The text when the bytes are valid UTF-8 without control characters other than whitespace, else null. */
    private static String strictUtf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        List<String> bounds = new ArrayList<>();
        bounds.add("maxDecodedBodyBytes=" + maxDecodedBodyBytes);
        bounds.add("maxDifferences=" + maxDifferences);
        bounds.add("maxValueLength=" + maxValueLength);
        return "ExchangeDiffer" + bounds;
    }
}
