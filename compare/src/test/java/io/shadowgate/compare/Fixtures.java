package io.shadowgate.compare;

import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.capture.ExchangePair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Shared builders for tests. */
public final class Fixtures {

    public static final String ROUTE = "default/app-vs#0 checkout";

    private Fixtures() {
    }

    public static CapturedResponse json(int status, String body, String... headerPairs) {
        return response(status, "application/json", body.getBytes(StandardCharsets.UTF_8), headerPairs);
    }

    public static CapturedResponse text(int status, String contentType, String body, String... headerPairs) {
        return response(status, contentType, body.getBytes(StandardCharsets.UTF_8), headerPairs);
    }

    public static CapturedResponse response(int status, String contentType, byte[] body, String... headerPairs) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(Map.entry("content-type", contentType));
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
        }
        return CapturedResponse.of(status, headers, body, 2_000_000);
    }

    public static ExchangePair pair(String requestId, String path, CapturedResponse primary, CapturedResponse mirror) {
        return new ExchangePair(requestId, ROUTE, "GET", path, "v1", "v2", primary, mirror);
    }

    public static ExchangePair pair(String route, String requestId, String path, CapturedResponse primary,
            CapturedResponse mirror) {
        return new ExchangePair(requestId, route, "GET", path, "v1", "v2", primary, mirror);
    }

    public static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] deflate(String s, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A clock that only moves when told to. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
