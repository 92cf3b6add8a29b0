package io.shadowgate.benchmarks.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One HTTP/1.1 request on a fresh connection ({@code Connection: close}), for readiness checks and counters. */
final class RawHttp {

    /** Status and body. */
    record Response(int status, String body) {
    }

    private RawHttp() {
    }

    static Response get(int port, String path, String host, List<String> headers) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                    .append("\r\nConnection: close\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
            }
            String text = buf.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + text);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Response(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
        }
    }

    /** Whether something accepts connections on {@code port}. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code requests} counter of a {@link io.shadowgate.benchmarks.backend.FixedBackend} listener. */
    static long backendRequests(int port) {
        return backendStat(port, "requests");
    }

    /** One counter ({@code requests}, {@code bodyBytes}, {@code connections}) of a backend listener, -1 if unknown. */
    static long backendStat(int port, String key) {
        try {
            String body = get(port, "/__bench/stats", "127.0.0.1", List.of()).body();
            int i = body.indexOf("\"" + key + "\":");
            int start = i + key.length() + 3;
            int end = start;
            while (end < body.length() && Character.isDigit(body.charAt(end))) {
                end++;
            }
            return Long.parseLong(body.substring(start, end));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
