package io.shadowgate.telemetry.accesslog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per client request and one per mirrored request. A mirror's line carries the same
 * {@code x-request-id} as its client request, so {@code grep <id>} shows both, and says it is a mirror
 * ({@code "mirror":true} and {@code mirror_outcome} in JSON, {@code mirror:<outcome>} in text).
 *
 * <p>The event methods only offer the (immutable) {@link RequestLog} to a bounded queue: formatting and writing
 * happen on one daemon writer thread. When the queue is full the line is dropped and counted ({@link #dropped()}),
 * so a slow disk never blocks an event loop. Thread-safe.
 *
 * <pre>{@code
 * AccessLog log = AccessLog.create("stdout", "json");   // or a file path, or "off"
 * ... new CompositeObserver(List.of(metrics, log)) ...
 * log.close();                                          // drains the queue and flushes
 * }</pre>
 */
public final class AccessLog implements ProxyObserver, AutoCloseable {

    /** Lines waiting to be written at most; more are dropped. */
    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final int BATCH = 256;

    private final AccessLogFormat format;
    private final Writer out;
    private final boolean closeOut;
    private final String target;
    private final BlockingQueue<Object> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closing;
    private volatile long lastErrorLogNanos;

    private AccessLog(Writer out, boolean closeOut, AccessLogFormat format, int capacity, String target) {
        this.out = out;
        this.closeOut = closeOut;
        this.format = format;
        this.target = target;
        if (out == null) {
            this.queue = null;
            this.writer = null;
        } else {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity: " + capacity + " (expected: >= 1)");
            }
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.writer = new Thread(this::run, "shadowgate-access-log");
            this.writer.setDaemon(true);
            this.writer.start();
        }
    }

    /**
     * An access log as the command line describes it.
     *
     * @param target {@code stdout} (also {@code -}, {@code /dev/stdout}), {@code off}, or a file path (created if
     *               missing, appended to)
     * @param format {@code json} (default when {@code null}) or {@code text}
     * @throws IllegalArgumentException for an unknown format or a file that cannot be opened
     */
    public static AccessLog create(String target, String format) {
        return create(target, format, DEFAULT_QUEUE_CAPACITY);
    }

    /** As {@link #create(String, String)}, with the queue capacity. */
    public static AccessLog create(String target, String format, int queueCapacity) {
        AccessLogFormat f = AccessLogFormat.parse(format);
        String t = target == null ? "stdout" : target.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "off", "none", "false", "" -> {
                return new AccessLog(null, false, f, 0, "off");
            }
            case "stdout", "-", "/dev/stdout" -> {
                Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
                return new AccessLog(w, false, f, queueCapacity, "stdout");
            }
            default -> {
                Path p = Path.of(t);
                try {
                    Path parent = p.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                    return new AccessLog(w, true, f, queueCapacity, p.toString());
                } catch (IOException e) {
                    throw new IllegalArgumentException("access log " + t + ": cannot open (" + e.getMessage() + ")",
                            e);
                }
            }
        }
    }

    /** An access log writing to {@code out} (closed by {@link #close()} only when {@code closeOut}). */
    public static AccessLog toWriter(Writer out, AccessLogFormat format, int queueCapacity, boolean closeOut) {
        return new AccessLog(Objects.requireNonNull(out, "out"), closeOut, Objects.requireNonNull(format, "format"),
                queueCapacity, "writer");
    }

    /** A disabled access log: every event is ignored. */
    public static AccessLog off() {
        return new AccessLog(null, false, AccessLogFormat.JSON, 0, "off");
    }

    /** Whether lines are written at all. */
    public boolean enabled() {
        return queue != null;
    }

    /** The format. */
    public AccessLogFormat format() {
        return format;
    }

    /** {@code stdout}, {@code off}, or the file path. */
    public String target() {
        return target;
    }

    /** Lines dropped because the queue was full or the log was closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Lines written. */
    public long written() {
        return written.get();
    }

    /** Lines lost to write errors. */
    public long failed() {
        return failed.get();
    }

    /**
     * Registers {@code shadowgate_access_log_lines_total} and {@code shadowgate_access_log_dropped_total{reason}}
     * ({@code queue_full}, {@code write_error}) on {@code registry}. Returns {@code this}.
     */
    public AccessLog bindMetrics(MeterRegistry registry) {
        FunctionCounter.builder("shadowgate_access_log_lines_total", written, AtomicLong::get)
                .description("Access log lines written").register(registry);
        FunctionCounter.builder("shadowgate_access_log_dropped_total", dropped, AtomicLong::get)
                .description("Access log lines not written").tag("reason", "queue_full").register(registry);
        FunctionCounter.builder("shadowgate_access_log_dropped_total", failed, AtomicLong::get)
                .description("Access log lines not written").tag("reason", "write_error").register(registry);
        return this;
    }

    @Override
    public void onRequest(RequestLog entry) {
        offer(entry);
    }

    @Override
    public void onMirror(RequestLog entry) {
        offer(entry);
    }

    private void offer(RequestLog entry) {
        if (queue == null) {
            return;
        }
        if (closing || !queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Waits until every line queued before this call is written and flushed. For tests and shutdown; never call it
     * on an event loop.
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        if (queue == null || !writer.isAlive()) {
            return true;
        }
        CountDownLatch done = new CountDownLatch(1);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!queue.offer(done, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            return done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting lines, writes what is queued (up to 5 s), flushes, and closes a file target. */
    @Override
    public void close() {
        if (queue == null || closing) {
            return;
        }
        closing = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(BATCH * 256);
        try {
            while (true) {
                Object first;
                try {
                    first = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        break;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                writeBatch(batch, text);
                batch.clear();
            }
            // Closing: whatever is still queued.
            queue.drainTo(batch);
            writeBatch(batch, text);
        } finally {
            try {
                if (closeOut) {
                    out.close();
                } else {
                    out.flush();
                }
            } catch (IOException e) {
                log.warn("access log {}: close failed: {}", target, e.getMessage());
            }
        }
    }

    private void writeBatch(List<Object> batch, StringBuilder text) {
        text.setLength(0);
        int lines = 0;
        List<CountDownLatch> flushes = null;
        for (Object o : batch) {
            if (o instanceof RequestLog r) {
                try {
                    text.append(format.format(r)).append('\n');
                    lines++;
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    error("format failed", e);
                }
            } else if (o instanceof CountDownLatch latch) {
                if (flushes == null) {
                    flushes = new ArrayList<>(1);
                }
                flushes.add(latch);
            }
        }
        try {
            if (lines > 0) {
                out.write(text.toString());
            }
            if (queue.isEmpty() || flushes != null) {
                out.flush();
            }
            written.addAndGet(lines);
        } catch (IOException e) {
            failed.addAndGet(lines);
            error("write failed", e);
        }
        if (flushes != null) {
            flushes.forEach(CountDownLatch::countDown);
        }
    }

    private void error(String what, Exception e) {
        long now = System.nanoTime();
        if (now - lastErrorLogNanos > TimeUnit.SECONDS.toNanos(10) || lastErrorLogNanos == 0) {
            lastErrorLogNanos = now;
            log.warn("access log {}: {}: {} (lines are counted in shadowgate_access_log_dropped_total)", target, what,
                    e.toString());
        }
    }
}
