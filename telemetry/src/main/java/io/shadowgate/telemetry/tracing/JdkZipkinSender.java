package io.shadowgate.telemetry.tracing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import zipkin2.reporter.BaseHttpSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.HttpEndpointSuppliers;

/**
 * Posts Zipkin v2 JSON spans with the JDK's {@link HttpClient}. Replaces zipkin-reporter's OkHttp 4 sender, whose
 * OkHttp would clash with the OkHttp 5 the OTLP exporter brings. Called only by the exporter's own thread.
 */
final class JdkZipkinSender extends BaseHttpSender<URI, byte[]> {

    private final HttpClient client;
    private final Duration timeout;

    JdkZipkinSender(String endpoint, Duration timeout) {
        super(Encoding.JSON, HttpEndpointSuppliers.constantFactory(), endpoint);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    protected URI newEndpoint(String endpoint) {
        return URI.create(endpoint);
    }

    @Override
    protected byte[] newBody(List<byte[]> encodedSpans) {
        return encoding.encode(encodedSpans);
    }

    @Override
    protected void postSpans(URI endpoint, byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("content-type", encoding.mediaType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting spans to " + endpoint, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("zipkin " + endpoint + " answered " + response.statusCode());
        }
    }
}
