package io.shadowgate.proxy.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * A {@link HttpClient} (HTTP/1.1, no redirects followed, keep-alive pool) and request builders that set the
 * {@code Host} header (allowed by the surefire argLine) and a fresh {@code x-request-id}, so each request's
 * {@link io.shadowgate.proxy.observe.RequestLog} can be found.
 */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Http() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A GET builder for {@code http://127.0.0.1:port + pathAndQuery} with {@code Host: host}. */
    static HttpRequest.Builder request(int port, String host, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(TIMEOUT)
                .header("Host", host)
                .header("x-request-id", newId());
    }

    static String newId() {
        return "t-" + UUID.randomUUID();
    }

    /** Sends and returns the response with a string body. */
    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code x-request-id} a builder-made request carries. */
    static String id(HttpRequest request) {
        return request.headers().firstValue("x-request-id").orElseThrow();
    }
}
