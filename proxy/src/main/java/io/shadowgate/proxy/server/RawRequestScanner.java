package io.shadowgate.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ByteProcessor;

/**
 * Second handler of a client pipeline, right before the HTTP codec: a byte-level check of request heads and chunked
 * framing, independent of Netty's decoder (defence in depth: Netty's HTTP/1 decoder has had about twenty
 * smuggling fixes, and it normalises some evidence away before any later handler can see it — an obs-fold line is
 * unfolded, spaces around the request line are skipped).
 *
 * <p>What it rejects, besides what Netty already rejects (see {@code docs/hardening.md}):
 * <ul>
 *   <li>in a head: anything before the method other than up to {@value #MAX_LEADING_EMPTY_LINES} empty lines; a
 *       request line that is not exactly {@code method SP target SP HTTP/1.x CRLF}; control characters or spaces in
 *       the target; obs-fold (a line starting with SP or HTAB); a bare CR or bare LF; a header name that is not a
 *       token (space before the colon, NUL, CTL); CTL or DEL in a header value;</li>
 *   <li>in a chunked body: a chunk size that is not 1..15 hex digits or exceeds 2^31-1; anything but {@code ;} after it; a chunk line
 *       longer than {@value #MAX_CHUNK_LINE} bytes (oversized extensions); an empty extension name; CTLs in an
 *       extension; chunk data not followed by CRLF; obs-fold, bare CR/LF or a bad name in a trailer, and trailer
 *       fields that would change framing or routing ({@code Content-Length}, {@code Transfer-Encoding},
 *       {@code Host}…), which Netty's decoder would silently drop.</li>
 * </ul>
 *
 * <p>How it follows the framing without a second parser of headers: bytes are passed on to the codec as they are
 * scanned, but a head is always passed on exactly up to its final LF; the codec decodes it synchronously and
 * {@link StrictRequestValidator} reports the framing it accepted ({@link #framing}). The scanner then skips a
 * {@code Content-Length} body, scans a chunked one, and expects the next head after it. If the codec does not
 * produce a request where the scanner saw the end of a head, the two disagree about framing and the request is
 * refused.
 *
 * <p>A violation is reported in order, never by writing: the scanner stops passing bytes on and sends down a
 * request (violation in a head) or a last body chunk (violation in a body) whose {@code DecoderResult} is a
 * {@link RejectedRequestException}; {@link FrontendHandler} answers it after the requests before it and closes.
 * Everything the client sends afterwards is dropped.
 *
 * <p>Buffer ownership: every inbound {@code ByteBuf} is released here; what is passed on is a retained slice the
 * codec owns.
 */
final class RawRequestScanner extends ChannelInboundHandlerAdapter {

    /** Empty lines tolerated before a request line (RFC 9112 §2.2 allows ignoring "at least one"). */
    static final int MAX_LEADING_EMPTY_LINES = 4;
    /** Longest chunk-size line (size, extensions) in bytes, CRLF excluded. */
    static final int MAX_CHUNK_LINE = 1024;

    /** The framing the validator accepted for the head just passed on. */
    enum Framing { NONE, LENGTH, CHUNKED, REJECTED }

    // Head states.
    private static final int LEAD = 0;
    private static final int LEAD_LF = 1;
    private static final int METHOD = 2;
    private static final int TARGET = 3;
    private static final int VERSION = 4;
    private static final int REQUEST_LF = 5;
    private static final int LINE_START = 6;
    private static final int NAME = 7;
    private static final int VALUE = 8;
    private static final int VALUE_LF = 9;
    private static final int HEAD_END_LF = 10;
    private static final int HEAD_DONE = 11;
    // Body states.
    private static final int BODY_LENGTH = 20;
    private static final int CHUNK_SIZE = 21;
    private static final int CHUNK_EXT = 22;
    private static final int CHUNK_SIZE_LF = 23;
    private static final int CHUNK_DATA = 24;
    private static final int CHUNK_DATA_CR = 25;
    private static final int CHUNK_DATA_LF = 26;
    private static final int TRAILER_START = 27;
    private static final int TRAILER_NAME = 28;
    private static final int TRAILER_VALUE = 29;
    private static final int TRAILER_VALUE_LF = 30;
    private static final int TRAILER_END_LF = 31;
    private static final int DEAD = 99;

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** Trailer fields refused here because Netty's decoder silently drops them (same list as the validator's). */
    private static final java.util.Set<String> FORBIDDEN_TRAILERS = StrictRequestValidator.FORBIDDEN_TRAILERS;

    private int state = LEAD;
    private final StringBuilder trailerName = new StringBuilder();
    private int emptyLines;
    private int tokenLength;
    /** Whether the method read so far is {@code PRI}: with {@code HTTP/2.0}, the HTTP/2 prior-knowledge preface. */
    private boolean priMethod;
    private final byte[] version = new byte[9];
    private int versionLength;
    private long remaining;
    private int digits;
    private int chunkLine;
    private boolean extNeedsName;
    private boolean extQuoted;
    private boolean extEscape;

    private Framing verdict;
    private long verdictLength;
    private Runnable partialHeadListener = () -> { };

    private int failStatus;
    private String failReason;
    /** Set by the byte processors when a byte was refused (the byte they stopped at). */
    private boolean violation;
    /** Head bytes until a violation or the head's final LF. */
    private final ByteProcessor headBytes = b -> {
        if (head(b & 0xFF) != 0) {
            violation = true;
            return false;
        }
        return state != HEAD_DONE;
    };
    /** Chunk lines and trailers until a violation, chunk data, or the end of the trailers (the next head). */
    private final ByteProcessor bodyBytes = b -> {
        if (body(b & 0xFF) != 0) {
            violation = true;
            return false;
        }
        return state != CHUNK_DATA && !isHead(state);
    };

    /**
     * Called at the end of a read that leaves part of a request head unprocessed (the frontend then runs the
     * request-headers timeout even when the head started in the same read as a request that already finished).
     */
    void onPartialHead(Runnable listener) {
        this.partialHeadListener = listener;
    }

    /** Called (synchronously, from inside the codec's decode) by the validator for each decoded request head. */
    void framing(Framing framing, long contentLength) {
        verdict = framing;
        verdictLength = contentLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            scan(ctx, in);
        } finally {
            in.release();
        }
        if (partialHead()) {
            partialHeadListener.run();
        }
    }

    private void scan(ChannelHandlerContext ctx, ByteBuf in) {
        if (state == DEAD) {
            return;
        }
        int from = in.readerIndex();
        int end = in.writerIndex();
        int headBegin = isHead(state) ? from : -1;
        int i = from;
        while (i < end) {
            if (state == BODY_LENGTH || state == CHUNK_DATA) {
                long n = Math.min(remaining, end - i);
                i += (int) n;
                remaining -= n;
                if (remaining == 0) {
                    if (state == BODY_LENGTH) {
                        startHead();
                        headBegin = i;
                    } else {
                        state = CHUNK_DATA_CR;
                    }
                }
                continue;
            }
            // Lines are scanned with forEachByte (no per-byte bounds checks); the processor stops at a violation,
            // at the end of a head, and where a chunk's data (skipped above) or the next head begins.
            boolean inHead = isHead(state);
            violation = false;
            int stop = in.forEachByte(i, end - i, inHead ? headBytes : bodyBytes);
            if (violation) {
                if (inHead) {
                    forward(ctx, in, from, Math.max(from, headBegin));
                    reject(ctx, true);
                } else {
                    forward(ctx, in, from, stop);
                    reject(ctx, false);
                }
                return;
            }
            if (stop < 0) {
                break;
            }
            i = stop + 1;
            if (inHead) {
                if (state == HEAD_DONE) {
                    verdict = null;
                    forward(ctx, in, from, i);
                    from = i;
                    Framing v = verdict;
                    verdict = null;
                    if (v == null) {
                        failStatus = 400;
                        failReason = "request head not understood";
                        reject(ctx, true);
                        return;
                    }
                    switch (v) {
                        case NONE -> {
                            startHead();
                            headBegin = i;
                        }
                        case LENGTH -> {
                            state = verdictLength > 0 ? BODY_LENGTH : LEAD;
                            remaining = verdictLength;
                            if (state == LEAD) {
                                startHead();
                                headBegin = i;
                            }
                        }
                        case CHUNKED -> startChunk();
                        default -> {
                            state = DEAD;
                            return;
                        }
                    }
                }
            } else if (state == LEAD) {
                headBegin = i;
            }
        }
        forward(ctx, in, from, end);
    }

    private void forward(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
        if (to > from && state != DEAD) {
            ctx.fireChannelRead(in.retainedSlice(from, to - from));
            if (verdict == Framing.REJECTED) {
                // The codec or the validator refused what it got (a head too large, a bad name): it answers that.
                state = DEAD;
            }
        }
    }

    /** Stops passing bytes on and sends the violation down, to be answered in order. */
    private void reject(ChannelHandlerContext ctx, boolean inHead) {
        state = DEAD;
        RejectedRequestException cause = new RejectedRequestException(failStatus, failReason);
        Object failed;
        if (inHead) {
            DefaultHttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
            r.setDecoderResult(DecoderResult.failure(cause));
            failed = r;
        } else {
            DefaultLastHttpContent last = new DefaultLastHttpContent();
            last.setDecoderResult(DecoderResult.failure(cause));
            failed = last;
        }
        ctx.fireChannelRead(failed);
    }

    private static boolean isHead(int s) {
        return s < BODY_LENGTH;
    }

    private void startHead() {
        state = LEAD;
        emptyLines = 0;
        tokenLength = 0;
        versionLength = 0;
    }

    private void startChunk() {
        state = CHUNK_SIZE;
        remaining = 0;
        digits = 0;
        chunkLine = 0;
        extNeedsName = false;
        extQuoted = false;
        extEscape = false;
    }

    private int fail(int status, String reason) {
        failStatus = status;
        failReason = reason;
        return status;
    }

    /** One byte of a head; 0 when acceptable, else the status to answer. */
    private int head(int c) {
        switch (state) {
            case LEAD:
                if (c == '\r') {
                    state = LEAD_LF;
                    return 0;
                }
                if (c == '\n') {
                    return fail(400, "bare LF");
                }
                state = METHOD;
                tokenLength = 0;
                return method(c);
            case LEAD_LF:
                if (c != '\n') {
                    return fail(400, "bare CR");
                }
                if (++emptyLines > MAX_LEADING_EMPTY_LINES) {
                    return fail(400, "empty lines before the request line");
                }
                state = LEAD;
                return 0;
            case METHOD:
                return method(c);
            case TARGET:
                if (c == ' ') {
                    if (tokenLength == 0) {
                        return fail(400, "empty request target");
                    }
                    state = VERSION;
                    versionLength = 0;
                    return 0;
                }
                if (c < 0x21 || c == 0x7F) {
                    return fail(400, "invalid character in the request target");
                }
                tokenLength++;
                return 0;
            case VERSION:
                if (c == '\r') {
                    state = REQUEST_LF;
                    return checkVersion();
                }
                if (versionLength == version.length) {
                    return fail(400, "malformed HTTP version");
                }
                version[versionLength++] = (byte) c;
                return 0;
            case REQUEST_LF:
            case VALUE_LF:
                if (c != '\n') {
                    return fail(400, "bare CR");
                }
                state = LINE_START;
                return 0;
            case LINE_START:
                if (c == '\r') {
                    state = HEAD_END_LF;
                    return 0;
                }
                if (c == ' ' || c == '\t') {
                    return fail(400, "obs-fold or whitespace before a header name");
                }
                state = NAME;
                tokenLength = 0;
                return name(c, VALUE);
            case NAME:
                return name(c, VALUE);
            case VALUE:
                return value(c, VALUE_LF);
            case HEAD_END_LF:
                if (c != '\n') {
                    return fail(400, "bare CR");
                }
                state = HEAD_DONE;
                return 0;
            default:
                return fail(400, "unexpected state");
        }
    }

    private int method(int c) {
        if (c == ' ') {
            if (tokenLength == 0) {
                return fail(400, "empty method");
            }
            priMethod &= tokenLength == 3;
            state = TARGET;
            tokenLength = 0;
            return 0;
        }
        if (!TCHAR[c]) {
            return fail(400, c == '\n' ? "bare LF" : "invalid character in the method");
        }
        priMethod = tokenLength == 0 ? c == 'P' : priMethod && tokenLength < 3 && c == "PRI".charAt(tokenLength);
        tokenLength++;
        return 0;
    }

    private int name(int c, int valueState) {
        if (c == ':') {
            if (tokenLength == 0) {
                return fail(400, "empty header name");
            }
            state = valueState;
            return 0;
        }
        if (!TCHAR[c]) {
            return fail(400, c == '\n' ? "bare LF" : c == '\r' ? "header line without a colon"
                    : "invalid character in a header name");
        }
        tokenLength++;
        return 0;
    }

    private int value(int c, int lfState) {
        if (c == '\r') {
            state = lfState;
            return 0;
        }
        if (c == '\n') {
            return fail(400, "bare LF");
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            return fail(400, "control character in a header value");
        }
        return 0;
    }

    private int checkVersion() {
        if (versionLength == 8 && version[0] == 'H' && version[1] == 'T' && version[2] == 'T' && version[3] == 'P'
                && version[4] == '/' && version[5] == '1' && version[6] == '.'
                && (version[7] == '1' || version[7] == '0')) {
            return 0;
        }
        if (versionLength == 8 && version[0] == 'H' && version[1] == 'T' && version[2] == 'T' && version[3] == 'P'
                && version[4] == '/' && isDigit(version[5]) && version[6] == '.' && isDigit(version[7])) {
            // PRI * HTTP/2.0 is the prior-knowledge preface: answered with a GOAWAY that says why.
            return fail(505, priMethod && version[5] == '2' && version[7] == '0' ? Http2Refusal.PRIOR_KNOWLEDGE
                    : "HTTP version not supported");
        }
        return fail(400, "malformed HTTP version");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** One byte of a chunked body (outside chunk data); 0 when acceptable, else the status to answer. */
    private int body(int c) {
        switch (state) {
            case CHUNK_SIZE: {
                int h = hex(c);
                if (h >= 0) {
                    if (++digits > 15) {
                        return fail(400, "chunk size too large");
                    }
                    remaining = (remaining << 4) | h;
                    if (remaining > Integer.MAX_VALUE) {
                        // Netty's own limit; anything larger is refused rather than parsed differently.
                        return fail(400, "chunk size too large");
                    }
                    chunkLine++;
                    return 0;
                }
                if (digits == 0) {
                    return fail(400, "invalid chunk size");
                }
                if (c == ';') {
                    state = CHUNK_EXT;
                    extNeedsName = true;
                    chunkLine++;
                    return 0;
                }
                if (c == '\r') {
                    state = CHUNK_SIZE_LF;
                    return 0;
                }
                return fail(400, "invalid chunk size");
            }
            case CHUNK_EXT:
                return extension(c);
            case CHUNK_SIZE_LF:
                if (c != '\n') {
                    return fail(400, "bare CR in a chunk line");
                }
                state = remaining == 0 ? TRAILER_START : CHUNK_DATA;
                return 0;
            case CHUNK_DATA_CR:
                if (c != '\r') {
                    return fail(400, "chunk data not followed by CRLF");
                }
                state = CHUNK_DATA_LF;
                return 0;
            case CHUNK_DATA_LF:
                if (c != '\n') {
                    return fail(400, "chunk data not followed by CRLF");
                }
                startChunk();
                return 0;
            case TRAILER_START:
                if (c == '\r') {
                    state = TRAILER_END_LF;
                    return 0;
                }
                if (c == ' ' || c == '\t') {
                    return fail(400, "obs-fold in trailers");
                }
                state = TRAILER_NAME;
                tokenLength = 0;
                trailerName.setLength(0);
                return trailerName(c);
            case TRAILER_NAME:
                return trailerName(c);
            case TRAILER_VALUE:
                return value(c, TRAILER_VALUE_LF);
            case TRAILER_VALUE_LF:
                if (c != '\n') {
                    return fail(400, "bare CR in trailers");
                }
                state = TRAILER_START;
                return 0;
            case TRAILER_END_LF:
                if (c != '\n') {
                    return fail(400, "bare CR in trailers");
                }
                startHead();
                return 0;
            default:
                return fail(400, "unexpected state");
        }
    }

    private int trailerName(int c) {
        if (c == ':' && FORBIDDEN_TRAILERS.contains(trailerName.toString())) {
            return fail(400, "forbidden trailer field");
        }
        if (trailerName.length() < 32) {
            trailerName.append(Character.toLowerCase((char) c));
        }
        return name(c, TRAILER_VALUE);
    }

    private int extension(int c) {
        if (c == '\r' && !extQuoted) {
            if (extNeedsName) {
                return fail(400, "empty chunk extension");
            }
            state = CHUNK_SIZE_LF;
            return 0;
        }
        if (++chunkLine > MAX_CHUNK_LINE) {
            return fail(400, "chunk extension too long");
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            return fail(400, "control character in a chunk extension");
        }
        if (extQuoted) {
            if (extEscape) {
                extEscape = false;
            } else if (c == '\\') {
                extEscape = true;
            } else if (c == '"') {
                extQuoted = false;
            }
            return 0;
        }
        if (extNeedsName) {
            if (c == ' ' || c == '\t') {
                return 0;
            }
            if (!TCHAR[c]) {
                return fail(400, "invalid chunk extension");
            }
            extNeedsName = false;
            return 0;
        }
        if (c == ';') {
            extNeedsName = true;
        } else if (c == '"') {
            extQuoted = true;
        }
        return 0;
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        state = DEAD;
    }

    /** Whether bytes of a request head that is not complete yet were received (empty lines count). */
    boolean partialHead() {
        return isHead(state) && state != HEAD_DONE && (state != LEAD || emptyLines > 0);
    }

    /** For tests: whether the scanner stopped passing bytes on. */
    boolean dead() {
        return state == DEAD;
    }
}
