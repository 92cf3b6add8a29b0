package io.shadowgate.testkit.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes exactly as given over a plain TCP socket and reads HTTP/1.1 responses back with bounded timeouts.
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>{@link #exchange(int, String, Duration)} — one connection, one request, its final response; if the response
 *       announces a close (or cannot be framed) it also waits, within the same timeout, for the server to close;</li>
 *   <li>{@link #connect(int)} then any sequence of {@link #send(String)} and {@link #readResponse(Duration)} — several
 *       (possibly pipelined, possibly partial) requests on one connection, responses read one at a time. Bytes read
 *       past one response are kept for the next call.</li>
 * </ul>
 *
 * <p>Response framing understood: no body for 1xx/204/304 (and for {@link #readResponse(Duration, boolean)} with
 * {@code bodyless = true}, e.g. after HEAD), {@code Transfer-Encoding: chunked}, {@code Content-Length}, otherwise
 * read until close. Anything not starting with {@code HTTP/} is read until close or timeout and returned with status
 * {@code -1}. Response bodies are kept in memory: for huge or endless bodies use {@link #discard(long, Duration)}.
 *
 * <p>ByteBuf ownership: none — this class does not use Netty at all (so it cannot share a bug with the code under test);
 * responses are plain copies.
 *
 * <p>Threading: not thread-safe; one thread drives one instance. A test may still call {@link #close()} or
 * {@link #abort()} from another thread to unblock a reader. Writes block without timeout (TCP gives no other option
 * with plain sockets), so do not write megabytes to a server that does not read.
 */
public final class RawHttpClient implements AutoCloseable {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Received, not yet consumed bytes are {@code buf[start, end)}. */
    private byte[] buf = new byte[16 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private boolean reset;
    private boolean lastReadTimedOut;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static RawHttpClient connect(int port) {
        return connect(InetAddress.getLoopbackAddress().getHostAddress(), port, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Connects to {@code host:port} within {@code connectTimeout}. */
    public static RawHttpClient connect(String host, int port, Duration connectTimeout) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, connectTimeout.toMillis()));
            return new RawHttpClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("connect to " + host + ":" + port + " failed", e);
        }
    }

    /** One-shot: see {@link #exchange(int, byte[], Duration)}; {@code request} is sent as ISO-8859-1 bytes. */
    public static RawResponse exchange(int port, String request, Duration timeout) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    /**
     * Connects to {@code 127.0.0.1:port}, writes {@code request}, reads the final response (interim 1xx responses are
     * skipped) and closes. When the response says the server will close ({@code Connection: close}, HTTP/1.0 without
     * keep-alive) the call also waits for that close, so {@link RawResponse#closedByServer()} is meaningful; for a
     * keep-alive response it is {@code true} only if the close was already observed. Everything within {@code timeout}.
     */
    public static RawResponse exchange(int port, byte[] request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (RawHttpClient client = connect(port)) {
            client.send(request);
            RawResponse response;
            do {
                response = client.read(deadline, false);
            } while (response.statusCode() >= 100 && response.statusCode() < 200 && response.statusCode() != 101
                    && !client.eof && !response.timedOut());
            if (response.complete() && !client.eof && announcesClose(response)) {
                boolean closed = client.awaitClose(deadline);
                response = new RawResponse(response.statusCode(), response.raw(), response.headers(), response.body(),
                        true, closed, client.reset, !closed);
            }
            return response;
        }
    }

    /** Writes {@code ascii} as ISO-8859-1 bytes (one byte per char, so any byte value can be expressed). */
    public RawHttpClient send(String ascii) {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} exactly and flushes. */
    public RawHttpClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("write of " + bytes.length + " bytes failed", e);
        }
    }

    /** Reads the next response (1xx responses are returned as responses of their own). */
    public RawResponse readResponse(Duration timeout) {
        return readResponse(timeout, false);
    }

    /** Reads the next response; {@code bodyless = true} when the request was HEAD (headers announce a body that is not sent). */
    public RawResponse readResponse(Duration timeout, boolean bodyless) {
        return read(System.nanoTime() + timeout.toNanos(), bodyless);
    }

    /**
     * Reads and discards up to {@code maxBytes} (buffered bytes first) within {@code timeout}; returns how many were
     * discarded. For endless or huge bodies whose content does not matter.
     */
    public long discard(long maxBytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long discarded = 0;
        while (discarded < maxBytes) {
            if (start == end) {
                start = 0;
                end = 0;
                if (fill(deadline) <= 0) {
                    break;
                }
            }
            int n = (int) Math.min(end - start, maxBytes - discarded);
            start += n;
            discarded += n;
        }
        return discarded;
    }

    /**
     * Waits until the server closes (or resets) the connection, discarding anything it sends meanwhile.
     *
     * @return {@code true} if the close was observed within {@code timeout}
     */
    public boolean awaitServerClose(Duration timeout) {
        return awaitClose(System.nanoTime() + timeout.toNanos());
    }

    /** Whether a close or reset by the server has been observed so far. */
    public boolean serverClosed() {
        return eof;
    }

    /** Whether the observed close was a TCP reset. */
    public boolean serverReset() {
        return reset;
    }

    /** Half-closes: sends FIN, keeps reading possible. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes with a TCP RST ({@code SO_LINGER 0}) instead of an orderly FIN. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // Already closed: nothing to abort.
        }
        closeQuietly(socket);
    }

    /** The local port of this connection (to correlate with server-side logs). */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    // ---- reading ----

    private boolean awaitClose(long deadline) {
        while (!eof) {
            start = 0;
            end = 0;
            if (fill(deadline) == 0) {
                return false;
            }
        }
        return true;
    }

    private RawResponse read(long deadline, boolean bodyless) {
        lastReadTimedOut = false;
        // 1. The head: up to the empty line, unless the bytes are visibly not HTTP.
        int headEnd;
        while (true) {
            if (end - start >= 5 && !startsWith("HTTP/")) {
                return readUntilClose(deadline, 0);
            }
            headEnd = findHeadEnd();
            if (headEnd >= 0) {
                break;
            }
            if (fill(deadline) <= 0) {
                // Closed or timed out inside the head: hand back whatever arrived, never as complete.
                String raw = text(0, end - start);
                start = end;
                return new RawResponse(parseStatus(raw), raw, List.of(), new byte[0], false, eof, reset,
                        lastReadTimedOut);
            }
        }
        String head = text(0, headEnd);
        String[] lines = head.split("\r?\n");
        int status = parseStatus(lines[0]);
        if (status < 0) {
            return readUntilClose(deadline, 0);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }

        // 2. The body, by the framing the head announced.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int p = headEnd;
        boolean complete;
        String transferEncoding = first(headers, "transfer-encoding");
        String contentLength = first(headers, "content-length");
        if (bodyless || status < 200 || status == 204 || status == 304) {
            complete = true;
        } else if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            int[] pos = {p};
            complete = readChunked(pos, body, deadline);
            p = pos[0];
        } else if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                return readUntilClose(deadline, 0);
            }
            complete = true;
            while (end - start - p < length) {
                if (fill(deadline) <= 0) {
                    complete = false;
                    break;
                }
            }
            int n = (int) Math.min(length, end - start - p);
            body.write(buf, start + p, n);
            p += n;
        } else {
            // Read until close: the connection end is the body end.
            while (fill(deadline) > 0) {
                // keep filling
            }
            complete = eof;
            body.write(buf, start + p, end - start - p);
            p = end - start;
        }
        String raw = text(0, p);
        start += p;
        return new RawResponse(status, raw, headers, body.toByteArray(), complete, eof, reset, lastReadTimedOut);
    }

    /** Chunked body from relative offset {@code pos[0]}; returns whether the terminating chunk and trailers arrived. */
    private boolean readChunked(int[] pos, ByteArrayOutputStream body, long deadline) {
        int p = pos[0];
        try {
            while (true) {
                int eol = findLineEnd(p, deadline);
                if (eol < 0) {
                    return false;
                }
                String sizeLine = text(p, eol).trim();
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong(semicolon >= 0 ? sizeLine.substring(0, semicolon).trim() : sizeLine, 16);
                } catch (NumberFormatException e) {
                    return false;
                }
                p = eol + 1;
                if (size == 0) {
                    // Trailers, then the empty line.
                    while (true) {
                        int trailerEnd = findLineEnd(p, deadline);
                        if (trailerEnd < 0) {
                            return false;
                        }
                        boolean empty = trailerEnd == p || (trailerEnd == p + 1 && at(p) == '\r');
                        p = trailerEnd + 1;
                        if (empty) {
                            return true;
                        }
                    }
                }
                while (end - start - p < size) {
                    if (fill(deadline) <= 0) {
                        int n = end - start - p;
                        body.write(buf, start + p, n);
                        p += n;
                        return false;
                    }
                }
                body.write(buf, start + p, (int) size);
                p += (int) size;
                int crlfEnd = findLineEnd(p, deadline);
                if (crlfEnd < 0) {
                    return false;
                }
                p = crlfEnd + 1;
            }
        } finally {
            pos[0] = p;
        }
    }

    /**
     * Everything received from now until close or timeout, as an unparsed response (garbage, or a body framed by the
     * connection end); the bytes from relative offset {@code from} on are returned as the body.
     */
    private RawResponse readUntilClose(long deadline, int from) {
        while (fill(deadline) > 0) {
            // keep filling
        }
        int total = end - start;
        String raw = text(0, total);
        int status = parseStatus(raw.lines().findFirst().orElse(""));
        byte[] rest = Arrays.copyOfRange(buf, start + Math.min(from, total), end);
        start = end;
        return new RawResponse(status, raw, List.of(), rest, eof, eof, reset, lastReadTimedOut);
    }

    /** Reads more bytes: &gt;0 bytes read, -1 closed (now or before), 0 timed out. */
    private int fill(long deadline) {
        if (eof) {
            return -1;
        }
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
            lastReadTimedOut = true;
            return 0;
        }
        if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
                return -1;
            }
            end += n;
            return n;
        } catch (SocketTimeoutException e) {
            lastReadTimedOut = true;
            return 0;
        } catch (IOException e) {
            // "Connection reset" is the interesting case; any other read failure also means the connection is gone.
            eof = true;
            reset = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset");
            return -1;
        }
    }

    /** Relative offset just past the empty line ending the head, or -1 if not received yet. */
    private int findHeadEnd() {
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < end && buf[i + 1] == '\n') {
                    return i + 2 - start;
                }
                if (i + 2 < end && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3 - start;
                }
            }
        }
        return -1;
    }

    /** Relative offset of the next '\n' at or after relative {@code from}, filling as needed; -1 on close/timeout. */
    private int findLineEnd(int from, long deadline) {
        int scanned = from;
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    return i - start;
                }
            }
            scanned = end - start;
            if (fill(deadline) <= 0) {
                return -1;
            }
        }
    }

    private boolean startsWith(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (buf[start + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private byte at(int relative) {
        return buf[start + relative];
    }

    private String text(int fromRelative, int toRelative) {
        return new String(buf, start + fromRelative, toRelative - fromRelative, StandardCharsets.ISO_8859_1);
    }

    private static int parseStatus(String statusLine) {
        // "HTTP/1.1 200 OK": the three digits after the first space.
        if (!statusLine.startsWith("HTTP/")) {
            return -1;
        }
        int space = statusLine.indexOf(' ');
        if (space < 0 || statusLine.length() < space + 4) {
            return -1;
        }
        String code = statusLine.substring(space + 1, space + 4);
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(code.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(code);
    }

    private static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean announcesClose(RawResponse response) {
        String connection = response.header("connection");
        if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
            return true;
        }
        boolean http10 = response.raw().startsWith("HTTP/1.0");
        return http10 && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("keep-alive"));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort; the socket is unusable either way.
        }
    }
}
