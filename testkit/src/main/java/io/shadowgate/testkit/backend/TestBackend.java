package io.shadowgate.testkit.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on {@code 127.0.0.1} (ephemeral port) used as an upstream in tests, by
 * {@code shadowgate demo} and by benchmarks.
 *
 * <p>Default answer: {@code 200}, {@code content-type: application/json}, {@code x-backend: <name>} and a JSON echo
 * {@code {"backend","method","path"(full uri),"headers":{lower-case name:[values]},"bodyBytes","bodySha256"}}, sent
 * once the request body is complete. Request headers {@code x-testkit-*} override status, delay, body size, framing
 * and response headers per request (see the package documentation); {@link Behavior} switches whole-backend failure
 * modes. Every request is recorded as a {@link RecordedRequest}, including requests cut off mid-body.
 *
 * <p>Threading: the backend owns its own event loop group; all I/O and per-connection state live on those threads.
 * The public methods of this class are thread-safe and may be called from any thread, including while requests are in
 * flight. {@link #close()} blocks (bounded) until the server, its connections and its threads are gone.
 *
 * <p>ByteBuf ownership: no buffer ever leaves the backend. Request content is hashed, a bounded prefix is copied to a
 * {@code byte[]}, and the buffer is released immediately; response bodies are allocation-free views over
 * {@link BodyPattern}'s shared block or wrapped {@code byte[]}s, handed to Netty, which releases them after writing.
 */
public final class TestBackend implements AutoCloseable {

    /** Default cap on the recorded body prefix: 64 KiB. */
    public static final int DEFAULT_RECORD_BODY_BYTES = 64 * 1024;

    private final String name;
    private final Settings settings;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final int port;

    private volatile Behavior behavior;

    private final Set<Channel> children = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicInteger nextConnectionId = new AtomicInteger();
    /** Guarded by itself; {@link #awaitRequests} waits on it. */
    private final List<RecordedRequest> requests = new ArrayList<>();

    private TestBackend(Builder b) {
        this.name = b.name;
        this.behavior = b.behavior;
        this.settings = new Settings(b.name, b.status, b.latency, List.copyOf(b.responseHeaders), b.recordBodyBytes);
        this.group = new MultiThreadIoEventLoopGroup(b.ioThreads,
                new DefaultThreadFactory("testkit-backend-" + b.name, true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        onAccepted(ch);
                    }
                });
        if (b.receiveBufferSize > 0) {
            // Set on the listening socket so accepted sockets inherit it before the TCP window is negotiated.
            bootstrap.option(ChannelOption.SO_RCVBUF, b.receiveBufferSize);
        }
        try {
            this.serverChannel = bootstrap.bind(InetAddress.getLoopbackAddress(), 0).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Starts configuring a backend. */
    public static Builder builder() {
        return new Builder();
    }

    /** Shorthand for {@code builder().name(name).start()}. */
    public static TestBackend start(String name) {
        return builder().name(name).start();
    }

    /**
     * A port on {@code 127.0.0.1} that nothing listens on (bound to port 0, read, closed): connecting to it is refused.
     * Like any such helper it is racy in theory (another process may take the port), which is acceptable in tests.
     */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find an unused port on 127.0.0.1", e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code "127.0.0.1:<port>"}, the form Istio destinations and proxy configs use. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** {@code http://127.0.0.1:<port>} + {@code pathAndQuery} (which should start with {@code /}). */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public Behavior behavior() {
        return behavior;
    }

    /** Switches the behavior for requests (and, for {@link Behavior#STALL_READ}, connections) that arrive from now on. */
    public TestBackend behavior(Behavior behavior) {
        this.behavior = Objects.requireNonNull(behavior, "behavior");
        return this;
    }

    /** Thread-safe snapshot of every recorded request, in recording order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Forgets all recorded requests (connection counters are kept). */
    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /**
     * Waits, at most {@code timeout}, until at least {@code n} requests are recorded and returns the snapshot.
     *
     * @throws AssertionError if fewer than {@code n} requests were recorded in time (message lists what was seen)
     */
    public List<RecordedRequest> awaitRequests(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (requests.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("backend '" + name + "' expected " + n + " request(s) within " + timeout
                            + " but recorded " + requests.size() + ": " + requests);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(requests, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for requests", e);
                }
            }
            return List.copyOf(requests);
        }
    }

    /** Number of TCP connections accepted since start. */
    public int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /**
     * Number of accepted connections not yet closed. A connection counts as closed only after any request it cut off
     * was recorded, so once this drops the request log is up to date. {@link Behavior#STALL_READ} connections never
     * read, so they notice a client close only when the backend closes them.
     */
    public int openConnections() {
        return children.size();
    }

    /** Closes every open connection (the server keeps listening), e.g. to simulate an upstream restart. */
    public void closeConnections() {
        for (Channel ch : children) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** Stops listening, closes all connections and shuts the event loop down. Idempotent; bounded to a few seconds. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        closeConnections();
        // Quiet period 0: tests create many backends and must not pay the default 2 s each.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "TestBackend[" + name + " @ " + address() + ", " + behavior + "]";
    }

    // ---- called from event loop threads ----

    private void onAccepted(SocketChannel ch) {
        connectionsAccepted.incrementAndGet();
        // Removed by the connection handler's channelInactive, after it recorded any cut-off request, so that
        // "openConnections() == 0" also means "every request of the closed connections is in requests()".
        children.add(ch);
        if (behavior == Behavior.STALL_READ) {
            // initChannel runs before channelActive triggers the first read, so no byte is ever read.
            ch.config().setAutoRead(false);
        }
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024)
                // Larger content pieces mean fewer objects (and fewer paranoid leak-tracking records) per MiB.
                .setMaxChunkSize(64 * 1024);
        ch.pipeline()
                .addLast(BackendConnectionHandler.CODEC_NAME, new HttpServerCodec(decoderConfig))
                .addLast("testkit-backend", new BackendConnectionHandler(this, nextConnectionId.incrementAndGet()));
    }

    void record(RecordedRequest request) {
        synchronized (requests) {
            requests.add(request);
            requests.notifyAll();
        }
    }

    void connectionClosed(Channel ch) {
        children.remove(ch);
    }

    Settings settings() {
        return settings;
    }

    /** Build-time settings shared read-only by every connection handler. */
    record Settings(String name, int status, Duration latency, List<Map.Entry<String, String>> responseHeaders,
                    int recordBodyBytes) {
    }

    /** Configures and starts a {@link TestBackend}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private String name = "backend";
        private Behavior behavior = Behavior.NORMAL;
        private Duration latency = Duration.ZERO;
        private int status = 200;
        private final List<Map.Entry<String, String>> responseHeaders = new ArrayList<>();
        private int recordBodyBytes = DEFAULT_RECORD_BODY_BYTES;
        private int ioThreads = 2;
        private int receiveBufferSize;

        private Builder() {
        }

        /** Name reported in {@code x-backend} and in the JSON echo. Default {@code "backend"}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Initial behavior. Default {@link Behavior#NORMAL}. */
        public Builder behavior(Behavior behavior) {
            this.behavior = Objects.requireNonNull(behavior, "behavior");
            return this;
        }

        /** Delay before every response (overridden per request by {@code x-testkit-delay-ms}). Default none. */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("negative latency " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** Default response status (overridden per request by {@code x-testkit-status}). Default 200. */
        public Builder status(int status) {
            if (status < 200 || status > 999) {
                throw new IllegalArgumentException("final status must be in [200, 999]: " + status);
            }
            this.status = status;
            return this;
        }

        /** Adds a header to every response; may be called repeatedly, also for the same name. */
        public Builder responseHeader(String name, String value) {
            responseHeaders.add(Map.entry(name, value));
            return this;
        }

        /** Cap on {@link RecordedRequest#bodyPrefix()}. Default 64 KiB; 0 keeps no body bytes. */
        public Builder recordBodyBytes(int cap) {
            if (cap < 0) {
                throw new IllegalArgumentException("negative cap " + cap);
            }
            this.recordBodyBytes = cap;
            return this;
        }

        /** Event loop threads. Default 2. */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * {@code SO_RCVBUF} of accepted connections (0 = OS default). A small value makes {@link Behavior#STALL_READ}
         * push back on the client sooner.
         */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = bytes;
            return this;
        }

        /** Binds {@code 127.0.0.1:0} and returns the running backend. */
        public TestBackend start() {
            return new TestBackend(this);
        }
    }
}
