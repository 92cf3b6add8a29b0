package io.shadowgate.proxy.hardening;

import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Raw one-shot requests for the hardening tests (no client library that retries or pools on its own). */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Http() {
    }

    static RawResponse get(int port, String path, String... headers) {
        StringBuilder sb = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: app\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return RawHttpClient.exchange(port, sb.append("\r\n").toString(), TIMEOUT);
    }

    static RawResponse post(int port, String path, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: app\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(body);
        return RawHttpClient.exchange(port, b.toByteArray(), TIMEOUT);
    }

    static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 7 + i / 13) % 26);
        }
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 10 ms for at most {@code timeout}; returns its last value. */
    static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
