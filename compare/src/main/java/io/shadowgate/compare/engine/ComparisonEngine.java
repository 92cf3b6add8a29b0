package io.shadowgate.compare.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.diff.ExchangeDiff;
import io.shadowgate.compare.diff.ExchangeDiffer;
import io.shadowgate.compare.group.GroupKey;
import io.shadowgate.compare.metrics.CompareMetrics;
import io.shadowgate.compare.report.ComparisonReport;
import io.shadowgate.compare.report.DifferenceRecord;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.stats.Classification;
import io.shadowgate.compare.stats.CompareStats;
import io.shadowgate.compare.stats.SkipReason;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares what the mirror answered with what the primary answered, off the proxy's threads, and
 * keeps the statistics that say whether the mirror's version is safe to promote.
 *
 * <p><b>Threading.</b> {@link #offer(ExchangePair)}, {@link #offer(String, String, String, long, Supplier)} and
 * {@link #offerNoiseSample(String, String, String, CapturedResponse, CapturedResponse)} may be
 * called from any number of threads and never wait: they either enqueue into a bounded queue
 * ({@link CompareSettings#queueCapacity()} tasks, {@link CompareSettings#maxQueuedBytes()} of response bodies) or count
 * the exchange as skipped and return {@code false}. They never wake a comparison thread either (see
 * {@link PollingQueue}): {@link CompareSettings#workerThreads()} daemon threads (one by default) poll the queue,
 * parking between batches, and compare. Reports, reset and export may be called from any thread at any time.
 *
 * <p><b>Bounds.</b> Comparisons are admitted at most at {@link CompareSettings#maxComparisonsPerSecond()}
 * (bursts of one second's worth); excess is skipped as {@code rate_limited}, a full queue as
 * {@code queue_full}. Noise samples bypass the rate limit (they are rare and worth more than one
 * comparison) but not the queue bound. All statistics are bounded as documented in
 * {@link CompareSettings}.
 *
 * <p><b>Lifecycle.</b> Threads start in the constructor; {@link #close()} stops accepting work,
 * counts still-queued exchanges as skipped ({@code closed}), stops the threads and removes the
 * engine's meters.
 */
public final class ComparisonEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComparisonEngine.class);
    private static final AtomicInteger ENGINES = new AtomicInteger();
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final CompareSettings settings;
    private final ExchangeDiffer differ;
    private final CompareStats stats;
    private final CompareMetrics metrics;
    private final RateLimiter rateLimiter;
    private final PollingQueue<Task> queue;
    private final List<Thread> workers = new ArrayList<>();
    /** Tasks enqueued and not yet finished; lets {@link #awaitIdle(Duration)} know when all work is done. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Response body bytes held by queued tasks, bounded by {@link CompareSettings#maxQueuedBytes()}. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();
    private volatile boolean closed;

    /**
     * Creates and starts an engine.
     *
     * @param settings settings
     * @param registry where the {@code shadowgate.compare} meters are registered
     * @param clock    time source (rate limit, record timestamps, report period)
     * @param random   randomness for example sampling
     */
    public ComparisonEngine(CompareSettings settings, MeterRegistry registry, Clock clock, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        this.differ = new ExchangeDiffer(settings);
        CompareStats[] holder = new CompareStats[1];
        this.metrics = new CompareMetrics(registry, route -> holder[0].differenceRatio(route));
        this.stats = new CompareStats(settings, clock, random, metrics::routeSeen);
        holder[0] = stats;
        this.rateLimiter = new RateLimiter(clock, settings.maxComparisonsPerSecond());
        this.queue = new PollingQueue<>(settings.queueCapacity());
        int engine = ENGINES.incrementAndGet();
        for (int i = 0; i < settings.workerThreads(); i++) {
            Thread t = new Thread(this::work, "shadowgate-compare-" + engine + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /** An engine on the system clock with a fresh random generator. */
    public static ComparisonEngine create(CompareSettings settings, MeterRegistry registry) {
        return new ComparisonEngine(settings, registry, Clock.systemUTC(), new SplittableRandom());
    }

    /**
     * Queues an exchange for comparison. Never blocks.
     *
     * @return {@code true} if queued; {@code false} if skipped (rate limit, full queue, closed), in
     *         which case it is counted as skipped with its reason
     */
    public boolean offer(ExchangePair pair) {
        Objects.requireNonNull(pair, "pair");
        if (closed) {
            skip(pair.routeKey(), pair.method(), pair.path(), SkipReason.CLOSED);
            return false;
        }
        if (!rateLimiter.tryAcquire()) {
            skip(pair.routeKey(), pair.method(), pair.path(), SkipReason.RATE_LIMITED);
            return false;
        }
        return enqueue(new ExchangeTask(pair), pair.routeKey(), pair.method(), pair.path());
    }

    /**
     * Queues an exchange for comparison, for callers on latency-sensitive threads (a proxy's event loop): only the
     * admission — closed, rate limit, queue bound — happens on the calling thread, and an exchange turned away by
     * the rate limit is handed to the comparison thread to be counted. Building the pair (copying and normalising
     * headers and bodies) and grouping it happen on the comparison thread. Never blocks.
     *
     * @param routeKey the pair's route key (the same as {@code pair.get().routeKey()})
     * @param method   the request's method
     * @param path     the request's path, a query string included or not
     * @param bytes    the body bytes the supplier holds until it runs (both sides), counted against
     *                 {@link CompareSettings#maxQueuedBytes()}
     * @param pair     builds the pair; called once, on a comparison thread, if the exchange is admitted
     * @return {@code true} if queued; {@code false} if skipped
     */
    public boolean offer(String routeKey, String method, String path, long bytes, Supplier<ExchangePair> pair) {
        Objects.requireNonNull(pair, "pair");
        if (closed) {
            skip(routeKey, method, withoutQuery(path), SkipReason.CLOSED);
            return false;
        }
        if (!rateLimiter.tryAcquire()) {
            // Counted by the comparison thread (grouping a path costs more than the offer); if the queue is full
            // the exchange is counted here, still as rate_limited, which is why it was not compared.
            pending.incrementAndGet();
            if (!queue.offer(new SkipTask(routeKey, method, path, SkipReason.RATE_LIMITED))) {
                pending.decrementAndGet();
                skip(routeKey, method, withoutQuery(path), SkipReason.RATE_LIMITED);
            }
            return false;
        }
        return enqueue(new LazyExchangeTask(routeKey, method, path, bytes, pair), routeKey, method,
                withoutQuery(path));
    }

    /**
     * Queues two answers of the <em>same</em> version to the same request (Diffy's way of learning
     * noise): how often two v1 answers differ at each field is the baseline v2's differences are tested
     * against, and the second answer's latency the latency baseline. Never blocks; not rate limited.
     *
     * @return {@code true} if queued, {@code false} if the queue was full or the engine closed
     */
    public boolean offerNoiseSample(String routeKey, String method, String path, CapturedResponse primaryA,
            CapturedResponse primaryB) {
        NoiseTask task = new NoiseTask(GroupKey.of(routeKey, method, path), routeKey,
                Objects.requireNonNull(primaryA, "primaryA"), Objects.requireNonNull(primaryB, "primaryB"));
        if (closed) {
            return false;
        }
        return enqueue(task, null, null, null);
    }

    private boolean enqueue(Task task, String routeKey, String method, String path) {
        long bytes = task.bytes();
        if (queuedBytes.addAndGet(bytes) <= settings.maxQueuedBytes() || bytes == 0) {
            pending.incrementAndGet();
            if (queue.offer(task)) {
                return true;
            }
            pending.decrementAndGet();
        }
        queuedBytes.addAndGet(-bytes);
        if (routeKey != null) {
            skip(routeKey, method, path, SkipReason.QUEUE_FULL);
        }
        return false;
    }

    /**
     * Compares an exchange now, on the calling thread, and classifies its differences with the noise
     * learned so far. Records nothing: for tests and {@code explain}.
     */
    public ExchangeComparison compareNow(ExchangePair pair) {
        ExchangeDiff d = diff(pair);
        Classification c = stats.classify(GroupKey.of(pair.routeKey(), pair.method(), pair.path()), d);
        return toComparison(pair, d, c);
    }

    /**
     * Compares an exchange now, on the calling thread, and records it like a queued one, bypassing
     * the queue and the rate limit (replaying captured traffic, tests).
     */
    public ExchangeComparison compareAndRecord(ExchangePair pair) {
        ExchangeDiff d = diffForRecord(pair);
        Classification c = stats.record(pair, d);
        metrics.count(c.group().routeKey(), c.outcome());
        return toComparison(pair, d, c);
    }

    /** Learns noise from two answers of the same version now, on the calling thread. */
    public void learnNoiseNow(String routeKey, String method, String path, CapturedResponse primaryA,
            CapturedResponse primaryB) {
        process(new NoiseTask(GroupKey.of(routeKey, method, path), routeKey, primaryA, primaryB));
    }

    /** An immutable report of everything since the start or the last {@link #reset()}. */
    public ComparisonReport report() {
        return stats.snapshot();
    }

    /** Clears all statistics, learned noise and recent records (metric counters keep counting). */
    public void reset() {
        stats.reset();
    }

    /** Writes recent difference records (at most {@link CompareSettings#recentDifferences()}) as JSON lines. */
    public void exportJsonLines(Writer out) throws IOException {
        stats.exportJsonLines(out);
    }

    /** Recent difference records, oldest first. */
    public List<DifferenceRecord> recentDifferences() {
        return stats.recentDifferences();
    }

    /** Exchanges and samples queued or being compared. */
    public int pending() {
        return pending.get();
    }

    /** Comparisons that threw (logged and counted as {@code internal_error}). */
    public long internalErrors() {
        return internalErrors.get();
    }

    /** The settings in use. */
    public CompareSettings settings() {
        return settings;
    }

    /**
     * Waits until everything queued so far has been compared.
     *
     * @return {@code true} if idle, {@code false} if the timeout elapsed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Stops accepting work, counts queued exchanges as skipped, stops the threads, removes the meters. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        drainAsClosed();
        workers.forEach(Thread::interrupt);
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // An offer racing with close may have slipped in after the first drain.
        drainAsClosed();
        metrics.close();
    }

    private void drainAsClosed() {
        List<Task> left = new ArrayList<>();
        for (Task t = queue.poll(); t != null; t = queue.poll()) {
            left.add(t);
        }
        for (Task t : left) {
            if (t instanceof ExchangeTask e) {
                skip(e.pair.routeKey(), e.pair.method(), e.pair.path(), SkipReason.CLOSED);
            } else if (t instanceof LazyExchangeTask e) {
                skip(e.routeKey, e.method, withoutQuery(e.path), SkipReason.CLOSED);
            } else if (t instanceof SkipTask s) {
                skip(s.routeKey, s.method, withoutQuery(s.path), s.reason);
            }
            queuedBytes.addAndGet(-t.bytes());
            pending.decrementAndGet();
        }
    }

    private void work() {
        int emptyPolls = 0;
        while (!closed) {
            Task task = queue.poll();
            if (task == null) {
                PollingQueue.backOff(emptyPolls++);
                continue;
            }
            emptyPolls = 0;
            try {
                process(task);
            } finally {
                queuedBytes.addAndGet(-task.bytes());
                pending.decrementAndGet();
            }
        }
    }

    private void process(Task task) {
        try {
            if (task instanceof ExchangeTask e) {
                record(e.pair);
            } else if (task instanceof LazyExchangeTask e) {
                record(e.pair.get());
            } else if (task instanceof SkipTask s) {
                skip(s.routeKey, s.method, withoutQuery(s.path), s.reason);
            } else if (task instanceof NoiseTask n) {
                ExchangeDiff d = differ.diff(n.a, n.b, settings.settingsFor(n.routeKey).ignoreRules(), Set.of(),
                        stats.unorderedPaths(n.key));
                stats.recordNoiseSample(n.key, d, n.b);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // One malformed exchange must not kill the comparison thread; count it and log a few.
            long n = internalErrors.incrementAndGet();
            if (task instanceof ExchangeTask et) {
                skip(et.pair.routeKey(), et.pair.method(), et.pair.path(), SkipReason.INTERNAL_ERROR);
            } else if (task instanceof LazyExchangeTask et) {
                skip(et.routeKey, et.method, withoutQuery(et.path), SkipReason.INTERNAL_ERROR);
            }
            if (n <= 10 || n % 1_000 == 0) {
                log.warn("comparison failed ({} so far): {}", n, task, e);
            }
        }
    }

    private void record(ExchangePair pair) {
        ExchangeDiff d = diffForRecord(pair);
        Classification c = stats.record(pair, d);
        metrics.count(c.group().routeKey(), c.outcome());
    }

    /** The path as {@link ExchangePair} keeps it: without a query string. */
    private static String withoutQuery(String path) {
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        return p.isEmpty() ? "/" : p;
    }

    /** Diff for {@code compareNow}: nothing is recorded, so no observations are needed. */
    private ExchangeDiff diff(ExchangePair pair) {
        GroupKey key = GroupKey.of(pair.routeKey(), pair.method(), pair.path());
        return differ.diff(pair.primary(), pair.mirror(), settings.settingsFor(pair.routeKey()).ignoreRules(), Set.of(),
                stats.unorderedPaths(key));
    }

    /** Diff for recording: also reports which of the group's noise-tracked locations were present on both sides. */
    private ExchangeDiff diffForRecord(ExchangePair pair) {
        GroupKey key = GroupKey.of(pair.routeKey(), pair.method(), pair.path());
        return differ.diff(pair.primary(), pair.mirror(), settings.settingsFor(pair.routeKey()).ignoreRules(),
                stats.watchedPaths(key), stats.unorderedPaths(key));
    }

    private void skip(String routeKey, String method, String path, SkipReason reason) {
        Classification c = stats.recordSkip(GroupKey.of(routeKey, method, path), reason);
        metrics.count(c.group().routeKey(), c.outcome());
    }

    private static ExchangeComparison toComparison(ExchangePair pair, ExchangeDiff d, Classification c) {
        return new ExchangeComparison(c.group(), pair.requestId(), c.outcome(), c.findings(), d.differencesTruncated(),
                d.bodySkipped(), c.skipReason());
    }

    @Override
    public String toString() {
        return "ComparisonEngine[pending=" + pending.get() + ", closed=" + closed + ", " + settings + "]";
    }

    private sealed interface Task permits ExchangeTask, LazyExchangeTask, SkipTask, NoiseTask {
        /** Response body bytes this task holds while queued. */
        default long bytes() {
            return 0;
        }
    }

    private static long bodyBytes(CapturedResponse a, CapturedResponse b) {
        return (long) a.bodyLength() + b.bodyLength();
    }

    private record LazyExchangeTask(String routeKey, String method, String path, long bytes,
                                    Supplier<ExchangePair> pair) implements Task {
        @Override
        public String toString() {
            return "exchange " + routeKey + " " + method + " " + path;
        }
    }

    private record SkipTask(String routeKey, String method, String path, SkipReason reason) implements Task {
        @Override
        public String toString() {
            return "skipped exchange " + routeKey + " " + method + " " + path;
        }
    }

    private record ExchangeTask(ExchangePair pair) implements Task {
        @Override
        public long bytes() {
            return bodyBytes(pair.primary(), pair.mirror());
        }

        @Override
        public String toString() {
            return "exchange " + pair.routeKey() + " " + pair.method() + " " + pair.path() + " request "
                    + pair.requestId();
        }
    }

    private record NoiseTask(GroupKey key, String routeKey, CapturedResponse a, CapturedResponse b) implements Task {
        @Override
        public long bytes() {
            return bodyBytes(a, b);
        }

        @Override
        public String toString() {
            return "noise sample " + key;
        }
    }
}
