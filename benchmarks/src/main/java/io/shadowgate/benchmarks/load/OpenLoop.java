package io.shadowgate.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop (fixed-rate) HTTP/1.1 load generator, for a latency that is not hidden by coordinated omission: wrk2
 * is not packaged by Debian, so this stands in for it.
 *
 * <p>Request {@code k} is <em>due</em> at {@code start + k / rate}, whatever happened to earlier requests, and goes out
 * on keep-alive connection {@code k % connections}. A pacer thread ({@link LockSupport#parkNanos}, no spinning, so it
 * leaves the CPU to what is measured) hands each due request to the event loop; a connection still waiting for its
 * previous answer queues it. Latency is measured from the due time to the end of the response (wrk2's corrected
 * latency), so a proxy that stalls pays for every request it delayed. The pacer's own wake-up jitter (tens of µs)
 * is included and is the same for every target, so differences between targets are unaffected.
 *
 * <pre>
 * java -cp benchmarks.jar io.shadowgate.benchmarks.load.OpenLoop --url http://127.0.0.1:18080/ \
 *     --header 'Host: backend.bench' --rate 5000 --connections 50 --warmup 5 --duration 10
 * </pre>
 * Prints {@code MEASURE start} and {@code MEASURE end} around the measured window, then one line
 * {@code RESULT requests=… duration_us=… errors=… p50_us=… p90_us=… p99_us=… p999_us=… max_us=…
 * mean_us=… late=…} ({@code late}: requests that had to queue behind a busy connection).
 */
public final class OpenLoop {

    private final URI url;
    private final String[] headers;
    private final int rate;
    private final int connections;
    private final double warmupSeconds;
    private final double durationSeconds;

    private long measureFromNanos;
    private long[] latencies;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    OpenLoop(URI url, String[] headers, int rate, int connections, double warmupSeconds, double durationSeconds) {
        this.url = url;
        this.headers = headers;
        this.rate = rate;
        this.connections = connections;
        this.warmupSeconds = warmupSeconds;
        this.durationSeconds = durationSeconds;
    }

    /** One keep-alive connection, confined to the event loop. */
    private final class Conn extends ChannelInboundHandlerAdapter {
        private final ByteBuf request;
        private Channel channel;
        private final long[] queue = new long[1 << 16];
        private int head;
        private int tail;
        private boolean busy;
        private long due;
        private boolean ok;

        Conn(ByteBuf request) {
            this.request = request;
        }

        /** On the loop: request due at {@code dueNanos}. */
        void submit(long dueNanos) {
            if (channel == null || !channel.isActive()) {
                errors.incrementAndGet();
                return;
            }
            if (busy) {
                late.incrementAndGet();
                if (tail - head == queue.length) {
                    errors.incrementAndGet();
                    return;
                }
                queue[tail++ & (queue.length - 1)] = dueNanos;
                return;
            }
            send(dueNanos);
        }

        private void send(long dueNanos) {
            busy = true;
            ok = true;
            due = dueNanos;
            channel.writeAndFlush(request.retainedDuplicate(), channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse r) {
                    int code = r.status().code();
                    ok = r.decoderResult().isSuccess() && code >= 200 && code < 400;
                }
                if (msg instanceof LastHttpContent) {
                    long now = System.nanoTime();
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                    if (due >= measureFromNanos) {
                        long i = recorded.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = now - due;
                        }
                    }
                    busy = false;
                    if (head != tail) {
                        send(queue[head++ & (queue.length - 1)]);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (busy) {
                errors.incrementAndGet();
            }
            errors.addAndGet(tail - head);
            head = tail;
            busy = false;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    String run() throws Exception {
        int port = url.getPort() > 0 ? url.getPort() : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            req.append(h).append("\r\n");
            host |= h.regionMatches(true, 0, "host:", 0, 5);
        }
        if (!host) {
            req.append("Host: ").append(url.getHost()).append(':').append(port).append("\r\n");
        }
        req.append("\r\n");
        ByteBuf request = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
                .writeBytes(req.toString().getBytes(StandardCharsets.US_ASCII)));

        latencies = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) (rate * durationSeconds * 1.2) + 1024)];
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("open-loop", true),
                NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            Conn[] conns = new Conn[connections];
            for (int i = 0; i < connections; i++) {
                Conn c = new Conn(request);
                conns[i] = c;
                Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpResponseDecoder()).addLast(c);
                            }
                        });
                c.channel = b.connect(url.getHost(), port).sync().channel();
            }
            long period = Math.max(1, 1_000_000_000L / rate);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            measureFromNanos = start + (long) (warmupSeconds * 1e9);
            long end = measureFromNanos + (long) (durationSeconds * 1e9);
            long k = 0;
            boolean announced = false;
            while (true) {
                long dueAt = start + k * period;
                if (dueAt >= end) {
                    break;
                }
                if (!announced && dueAt >= measureFromNanos) {
                    // The harness samples CPU and counters between these two lines.
                    System.out.println("MEASURE start");
                    System.out.flush();
                    announced = true;
                }
                long wait = dueAt - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                // Everything due by now goes in one hand-off to the loop.
                long now = System.nanoTime();
                long first = k;
                while (start + k * period <= now && start + k * period < end) {
                    k++;
                }
                long last = k;
                loop.execute(() -> {
                    for (long j = first; j < last; j++) {
                        conns[(int) (j % connections)].submit(start + j * period);
                    }
                });
            }
            System.out.println("MEASURE end");
            System.out.flush();
            // Let the last answers arrive (bounded).
            long sent = k - (long) Math.ceil((measureFromNanos - start) / (double) period);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (recorded.get() < sent - errors.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (Conn c : conns) {
                c.channel.close();
            }
            int n = (int) Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            double mean = 0;
            for (long v : sorted) {
                mean += v;
            }
            mean = n == 0 ? 0 : mean / n / 1000.0;
            long missing = Math.max(0, sent - n - errors.get());
            return String.format(java.util.Locale.ROOT,
                    "RESULT requests=%d duration_us=%d errors=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f "
                            + "max_us=%.1f mean_us=%.1f late=%d",
                    n, (long) (durationSeconds * 1e6), errors.get() + missing, pct(sorted, 50), pct(sorted, 90),
                    pct(sorted, 99), pct(sorted, 99.9), n == 0 ? 0 : sorted[n - 1] / 1000.0, mean, late.get());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** The {@code p}th percentile (nearest rank) of sorted nanosecond values, in microseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        java.util.List<String> headers = new java.util.ArrayList<>();
        int rate = 1000;
        int connections = 50;
        double warmup = 3;
        double duration = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--header", "-H" -> headers.add(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--duration" -> duration = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("usage: OpenLoop --url URL [--header 'Name: value'] [--rate RPS] "
                            + "[--connections N] [--warmup S] [--duration S]");
                    System.exit(2);
                }
            }
        }
        if (url == null) {
            System.err.println("--url is required");
            System.exit(2);
        }
        System.out.println(new OpenLoop(URI.create(url), headers.toArray(new String[0]), rate, connections, warmup,
                duration).run());
    }
}
