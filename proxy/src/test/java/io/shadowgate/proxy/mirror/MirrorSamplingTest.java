package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.get;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirror;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.shadowgate.config.decide.Hashing;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.Transport;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sampling over real sockets: Istio's own mirror percentage checks, exact precision with an injected random source,
 * nesting of several mirror policies (one random value per request, Envoy's {@code stream_id}), and deterministic
 * per-user sampling with a sample key.
 */
class MirrorSamplingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    /** Requests written back to back before their responses are read (the proxy queues up to 256 messages). */
    private static final int PIPELINE = 50;

    // ------------------------------------------------------------------ 1. Istio's mirror_test.go cases

    /** {@code mirror-percent-absent}: 100/HUNDRED, expected 100 %, threshold 0. */
    @Test
    void istioPercentAbsentMirrorsEveryRequest() {
        istioCase(c2 -> List.of(mirrorAll(c2)), 100, 0);
    }

    /** {@code mirror-50}: 500000/MILLION, expected 50 %, threshold ±10. */
    @Test
    void istioFiftyPercent() {
        istioCase(c2 -> List.of(mirror(c2, 500_000, 1_000_000)), 50, 10);
    }

    /** {@code mirror-10}: 100000/MILLION, expected 10 %, threshold ±5. */
    @Test
    void istioTenPercent() {
        istioCase(c2 -> List.of(mirror(c2, 100_000, 1_000_000)), 10, 5);
    }

    /** {@code mirror-0}: Istio emits no policy for 0, so the route has no mirrors: expected 0 %, threshold 0. */
    @Test
    void istioZeroPercentCompilesToNoPolicy() {
        istioCase(c2 -> List.of(), 0, 0);
    }

    /**
     * Runs Istio's check: batches of 100 calls with a fresh test id in the path; {@code actual = countMirror /
     * countPrimary * 100} must be within {@code threshold} of {@code expected}. Like Istio's
     * {@code retry.UntilSuccessOrFail} with converge 3, a statistical case passes once three consecutive batches
     * pass (at most 15 batches, so a fair 10 % sampler fails with probability ~2e-5). An exact case (threshold 0)
     * must pass every batch.
     */
    private void istioCase(java.util.function.Function<ClusterConfig, List<MirrorPolicy>> policies, double expected,
                           double threshold) {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), policies.apply(c2)), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                List<Double> seen = new ArrayList<>();
                int consecutive = 0;
                for (int batch = 0; batch < 15 && consecutive < 3; batch++) {
                    String testId = UUID.randomUUID().toString().substring(0, 16);
                    for (int i = 0; i < 100; i++) {
                        RawResponse r = call(client, get("/" + testId + "/" + i));
                        assertThat(r.statusCode()).as(r.toString()).isEqualTo(200);
                        assertThat(r.header("x-backend")).isEqualTo("v1");
                    }
                    // Mirrors start before their primary is forwarded, so once all 100 answers are in, every
                    // sampled mirror is counted in flight until it has been recorded by v2 and answered.
                    await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(c2.name()) == 0);
                    long countB = count(v1, testId);
                    long countC = count(v2, testId);
                    assertThat(countB).isEqualTo(100);
                    double actual = countC * 100.0 / countB;
                    seen.add(actual);
                    boolean pass = Math.abs(actual - expected) <= threshold;
                    if (threshold == 0) {
                        assertThat(actual).as("exact case, batch %d", batch).isEqualTo(expected);
                    }
                    consecutive = pass ? consecutive + 1 : 0;
                }
                assertThat(consecutive).as("three consecutive batches within %s of %s; seen %s", threshold, expected,
                        seen).isEqualTo(3);
                assertThat(rec.mirrors().stream().allMatch(l -> "completed".equals(l.mirrorOutcome())))
                        .as("%s", rec.summary()).isTrue();
                assertThat(rec.skips()).isEmpty();
            }
        }
    }

    private static long count(TestBackend backend, String testId) {
        return backend.requests().stream().filter(r -> r.path().startsWith("/" + testId + "/")).count();
    }

    // ------------------------------------------------------------------ 2. precision, injected random values

    /**
     * {@code mirrorPercentage: 0.57} compiles to 5699/MILLION (truncation); a policy must mirror exactly the requests
     * whose value satisfies {@code value % 1e6 < 5699}, unsigned.
     *
     * <p>Part 1, 10,000 requests through the real {@link MirrorDispatcher} of a running proxy, on an event loop of
     * the test's own, the sampled ones really sent to v2 over sockets: values {@code 100*i + i%100} sweep the whole
     * residue range evenly, so exactly 57 mirror (0.57 %). Ten thousand full HTTP round trips cost about 18 s of CPU
     * under paranoid leak detection on this machine, so the HTTP leg is smaller:
     *
     * <p>Part 2, 2,504 keep-alive HTTP requests (pipelined, four connections) through the whole data path:
     * values {@code 500*i + i%500} sweeping the range again, the boundary values 5697..5700 (only 5697 and 5698
     * mirror: {@code <}, not {@code <=}) and values straddling 2^64 (signed -250..249: an unsigned remainder mirrors
     * 250 of them, a signed one would mirror all 500). Exactly the oracle's count reaches v2, and each request draws
     * exactly one random value.
     */
    @Test
    void fractionalPercentageIsExactOverTenThousandRequests() throws Exception {
        int perMillion = 5699;
        long[] dispatched = new long[10_000];
        for (int i = 0; i < dispatched.length; i++) {
            dispatched[i] = 100L * i + (i % 100);
        }
        assertThat(expectedMirrors(dispatched, 0, dispatched.length, perMillion)).isEqualTo(57);
        int sweep = 2000;
        long[] values = new long[sweep + 4 + 500];
        for (int i = 0; i < sweep; i++) {
            values[i] = 500L * i + (i % 500);
        }
        for (int k = 0; k < 4; k++) {
            values[sweep + k] = 5697 + k;
        }
        for (int k = 0; k < 500; k++) {
            values[sweep + 4 + k] = -250 + k;
        }
        assertThat(expectedMirrors(values, sweep, sweep + 4, perMillion)).isEqualTo(2);
        assertThat(expectedMirrors(values, sweep + 4, values.length, perMillion)).isEqualTo(250);
        AtomicLong next = new AtomicLong();
        RandomSource source = () -> values[(int) next.getAndIncrement()];
        EventLoopGroup testLoop = Transport.best().newGroup(1, "sampling-test");
        try (TestBackend v1 = TestBackend.builder().name("v1").recordBodyBytes(0).start();
             TestBackend v2 = TestBackend.builder().name("v2").recordBodyBytes(0).start()) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            ForwardAction route = forward(dest(c1), List.of(mirror(c2, perMillion, 1_000_000)));
            var snap = snapshot(route, c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, source)) {
                // Part 1: the dispatcher, 10,000 requests.
                EventLoop loop = testLoop.next();
                loop.submit(() -> {
                    for (int i = 0; i < dispatched.length; i++) {
                        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                                "/dispatch/" + i);
                        request.headers().set("host", "app.example.com").set("x-request-id", "d-" + i);
                        for (MirrorStream m : proxy.mirrors().start(loop, snap, route, new View("/dispatch/" + i),
                                dispatched[i], request, "d-" + i, Instant.now(), RequestTracer.Span.NOOP, null, route.destinations().get(0), null)) {
                            m.onBody(LastHttpContent.EMPTY_LAST_CONTENT);
                            m.onRequestEnd();
                        }
                    }
                }).get(30, TimeUnit.SECONDS);
                await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(c2.name()) == 0);
                assertThat(rec.mirrors("completed")).isEqualTo(57);
                List<String> sampled = v2.requests().stream().map(r -> r.header("x-request-id")).sorted().toList();
                List<String> expectedIds = new ArrayList<>();
                for (int i = 0; i < dispatched.length; i++) {
                    if (expectedMirrors(dispatched, i, i + 1, perMillion) == 1) {
                        expectedIds.add("d-" + i);
                    }
                }
                assertThat(sampled).isEqualTo(expectedIds.stream().sorted().toList());

                // Part 2: the whole data path over HTTP.
                sendConcurrently(proxy.port(), 4, values.length / 4, "/http");
                assertThat(next.get()).as("one random value per request").isEqualTo(values.length);
                assertThat(v1.requests()).hasSize(values.length);
                long expected = expectedMirrors(values, 0, values.length, perMillion);
                await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(c2.name()) == 0);
                assertThat(v2.requests().stream().filter(r -> r.path().startsWith("/http/")).count())
                        .isEqualTo(expected);
                assertThat(rec.mirrors("completed")).isEqualTo(57 + expected);
                assertThat(rec.skips()).isEmpty();
            }
        } finally {
            testLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** A minimal request for driving the dispatcher directly. */
    private record View(String path) implements RequestView {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public String authority() {
            return "app.example.com";
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String cookie(String name) {
            return null;
        }

        @Override
        public String queryParam(String name) {
            return null;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public int listenerPort() {
            return 0;
        }
    }

    /** The oracle, independent of the proxy's arithmetic: unsigned 64-bit value modulo one million. */
    private static long expectedMirrors(long[] values, int from, int to, int perMillion) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (BigInteger.valueOf(values[i]).mod(TWO_64).mod(BigInteger.valueOf(1_000_000)).longValue()
                    < perMillion) {
                n++;
            }
        }
        return n;
    }

    /** {@code connections} threads, each sending {@code perConnection} keep-alive GETs on its own connection. */
    private static void sendConcurrently(int port, int connections, int perConnection, String prefix)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int conn = c;
                futures.add(pool.submit(() -> {
                    try (RawHttpClient client = RawHttpClient.connect(port)) {
                        // Pipelined in small batches: the proxy still handles one request at a time per
                        // connection, but the test pays one round trip per batch instead of per request.
                        for (int i = 0; i < perConnection; i += PIPELINE) {
                            int batch = Math.min(PIPELINE, perConnection - i);
                            StringBuilder requests = new StringBuilder();
                            for (int k = 0; k < batch; k++) {
                                // An empty answer instead of the JSON echo: only the sampling is under test.
                                requests.append(get(prefix + "/" + conn + "/" + (i + k), "x-testkit-body-bytes: 0"));
                            }
                            client.send(requests.toString());
                            for (int k = 0; k < batch; k++) {
                                RawResponse r = client.readResponse(TIMEOUT);
                                assertThat(r.statusCode()).as(r.toString()).isEqualTo(200);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ 3. nested mirrors[]

    /**
     * {@code mirrors: [A 10%, B 20%]}: one random value per request decides both, so every request mirrored to A is
     * also mirrored to B, and each set is exactly the one the injected values predict (including negative values,
     * i.e. the upper half of the unsigned range).
     */
    @Test
    void nestedMirrorPoliciesShareOneRandomValue() {
        SplittableRandom values = new SplittableRandom(42);
        int n = 500;
        long[] drawn = new long[n];
        for (int i = 0; i < n; i++) {
            drawn[i] = values.nextLong();
        }
        AtomicLong index = new AtomicLong();
        RandomSource source = () -> drawn[(int) index.getAndIncrement()];
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend a = TestBackend.start("mirror-a");
             TestBackend b = TestBackend.start("mirror-b")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig ca = cluster("mirror-a", a.port());
            ClusterConfig cb = cluster("mirror-b", b.port());
            var snap = snapshot(forward(dest(c1), List.of(mirror(ca, 100_000, 1_000_000),
                    mirror(cb, 200_000, 1_000_000))), c1, ca, cb);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), new MirrorRecorder(), source);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                // One connection, one request at a time: request i draws value i.
                for (int i = 0; i < n; i++) {
                    RawResponse r = call(client, get("/nested/" + i, "x-request-id: nest-" + i));
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(ca.name()) == 0
                        && proxy.mirrors().inFlight(cb.name()) == 0);
                Set<String> expectedA = new TreeSet<>();
                Set<String> expectedB = new TreeSet<>();
                for (int i = 0; i < n; i++) {
                    long residue = BigInteger.valueOf(drawn[i]).mod(TWO_64).mod(BigInteger.valueOf(1_000_000))
                            .longValue();
                    if (residue < 100_000) {
                        expectedA.add("nest-" + i);
                    }
                    if (residue < 200_000) {
                        expectedB.add("nest-" + i);
                    }
                }
                Set<String> atA = ids(a);
                Set<String> atB = ids(b);
                assertThat(atA).isEqualTo(expectedA);
                assertThat(atB).isEqualTo(expectedB);
                assertThat(atB).containsAll(atA);
                assertThat(atA.size()).isBetween(25, 75);
                assertThat(atB.size()).isGreaterThan(atA.size());
            }
        }
    }

    /** The nesting holds for production randomness too: A ⊆ B whatever the values. */
    @Test
    void nestedMirrorPoliciesWithThreadLocalRandom() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend a = TestBackend.start("mirror-a");
             TestBackend b = TestBackend.start("mirror-b")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig ca = cluster("mirror-a", a.port());
            ClusterConfig cb = cluster("mirror-b", b.port());
            var snap = snapshot(forward(dest(c1), List.of(mirror(ca, 100_000, 1_000_000),
                    mirror(cb, 200_000, 1_000_000))), c1, ca, cb);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), new MirrorRecorder(),
                    RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 200; i++) {
                    assertThat(call(client, get("/tl/" + i, "x-request-id: tl-" + i)).statusCode()).isEqualTo(200);
                }
                await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(ca.name()) == 0
                        && proxy.mirrors().inFlight(cb.name()) == 0);
                Set<String> atA = ids(a);
                Set<String> atB = ids(b);
                assertThat(atA).isNotEmpty();
                assertThat(atB).containsAll(atA);
            }
        }
    }

    private static Set<String> ids(TestBackend backend) {
        Set<String> ids = new TreeSet<>();
        for (RecordedRequest r : backend.requests()) {
            assertThat(ids.add(r.header("x-request-id"))).as("mirrored at most once: %s", r).isTrue();
        }
        return ids;
    }

    // ------------------------------------------------------------------ 4. key-based sampling

    /**
     * {@code shadowgate.io/mirror-sample-key: header x-user} at 50 %: a user is mirrored on every request or on
     * none, whatever the per-request random values; users split between the two; a request without the key falls
     * back to its random value.
     */
    @Test
    void sampleKeyMirrorsAUserAlwaysOrNever() {
        AtomicLong next = new AtomicLong();
        // Values alternating between "always mirror" (0) and "never mirror" (999,999) at 50 %.
        RandomSource source = () -> (next.getAndIncrement() % 2 == 0) ? 0 : 999_999;
        MirrorOptions byUser = MirrorFixtures.mirrorOptions(Set.of(), Set.of(), HeaderOps.NONE,
                new MirrorOptions.SampleKey("header", "x-user"), null);
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            var snap = snapshot(forward(dest(c1), List.of(mirror(c2, 500_000, 1_000_000)), byUser), c1, c2);
            List<String> users = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");
            int perUser = 50;
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), new MirrorRecorder(), source);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < perUser; i++) {
                    for (String user : users) {
                        RawResponse r = call(client, get("/u/" + user + "/" + i, "x-user: " + user));
                        assertThat(r.statusCode()).isEqualTo(200);
                    }
                }
                // Without the key: the random value decides (0 → mirrored, 999,999 → not), 10 of 20.
                for (int i = 0; i < 20; i++) {
                    assertThat(call(client, get("/anon/" + i)).statusCode()).isEqualTo(200);
                }
                await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(c2.name()) == 0);

                Map<String, Long> mirroredPerUser = new LinkedHashMap<>();
                for (String user : users) {
                    mirroredPerUser.put(user, v2.requests().stream()
                            .filter(r -> user.equals(r.header("x-user"))).count());
                }
                Set<String> mirroredUsers = new HashSet<>();
                for (var e : mirroredPerUser.entrySet()) {
                    assertThat(e.getValue()).as("user %s: always or never (%s)", e.getKey(), mirroredPerUser)
                            .isIn(0L, (long) perUser);
                    if (e.getValue() == perUser) {
                        mirroredUsers.add(e.getKey());
                    }
                }
                Set<String> expectedUsers = users.stream()
                        .filter(u -> Long.remainderUnsigned(Hashing.hash64(u), 1_000_000) < 500_000)
                        .collect(Collectors.toSet());
                assertThat(mirroredUsers).isEqualTo(expectedUsers);
                assertThat(mirroredUsers).as("users split").isNotEmpty().hasSizeLessThan(users.size());
                assertThat(v2.requests().stream().filter(r -> r.path().startsWith("/anon/")).count()).isEqualTo(10);
            }
        }
    }

    static RawResponse call(RawHttpClient client, String request) {
        client.send(request);
        return client.readResponse(TIMEOUT);
    }
}
