/**
 * A real HTTP/1.1 upstream for tests, demos and benchmarks: {@link io.shadowgate.testkit.backend.TestBackend}.
 *
 * <p>This package owns everything a test needs to stand up a scriptable backend on {@code 127.0.0.1}:
 * <ul>
 *   <li>{@link io.shadowgate.testkit.backend.TestBackend} — the Netty server, its builder and its request log;</li>
 *   <li>{@link io.shadowgate.testkit.backend.Behavior} — whole-backend failure modes (never answer, RST, garbage,
 *       endless body, stalled reads, truncated response), switchable at runtime;</li>
 *   <li>{@link io.shadowgate.testkit.backend.RecordedRequest} — what the backend saw, including requests whose
 *       body was cut off ({@code complete == false});</li>
 *   <li>{@link io.shadowgate.testkit.backend.BodyPattern} — the deterministic byte pattern used for generated
 *       response bodies, so tests can compute the expected length and SHA-256 without buffering.</li>
 * </ul>
 *
 * <p>Bodies are streamed in both directions: request bodies are hashed incrementally and only a bounded prefix is
 * kept, response bodies are written chunk by chunk as the channel becomes writable. A 1 GiB transfer therefore
 * runs with flat memory, which is what lets benchmarks and hardening tests use this backend as-is.
 *
 * <p>Per-request control headers (all optional, case-insensitive names):
 * <ul>
 *   <li>{@code x-testkit-status: 503} — response status;</li>
 *   <li>{@code x-testkit-delay-ms: 250} — delay before the response, scheduled on the event loop;</li>
 *   <li>{@code x-testkit-body-bytes: N} — answer with N bytes of {@link io.shadowgate.testkit.backend.BodyPattern}
 *       instead of the JSON echo ({@code content-type: application/octet-stream});</li>
 *   <li>{@code x-testkit-chunked: true} — chunked transfer-encoding instead of Content-Length;</li>
 *   <li>{@code x-testkit-header-<name>: value} — echoed as response header {@code <name>}.</li>
 * </ul>
 */
package io.shadowgate.testkit.backend;
