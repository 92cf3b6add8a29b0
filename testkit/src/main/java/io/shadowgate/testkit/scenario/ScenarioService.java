package io.shadowgate.testkit.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One version ({@code v1} or {@code v2}) of the scenario fixture service (see the package documentation).
 *
 * <p>Every answer to {@code GET /s/<scenario>/items/<n>} is a JSON object: {@code item}, {@code name},
 * {@code userName}, {@code price}, {@code ranked} (sorted), {@code updatedAt} and {@code generatedAt} (the current
 * time), plus noise drawn per answer from the service's random generator — {@code took} (0–9), {@code orderRef} (a
 * UUID), {@code tags} (a set, shuffled), {@code cacheHit} (true on {@link Scenario#CACHE_FLIP_PERCENT}% of answers)
 * and the {@code x-response-time} header. v2 plants its scenario's difference ({@link Scenario}).
 *
 * <p>Threading: a small event loop group of its own; the handler is shared and keeps only a synchronized random
 * generator. ByteBuf ownership: requests are aggregated (no bodies expected) and released by
 * {@link SimpleChannelInboundHandler}; responses wrap fresh arrays, released by Netty once written.
 */
public final class ScenarioService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PLUS_TWO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.ofHours(2));
    private static final List<String> TAGS = List.of("blue", "large", "sale", "new");

    private final String version;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final Set<Channel> children = ConcurrentHashMap.newKeySet();

    private ScenarioService(String version, long seed, Clock clock) {
        this.version = version;
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("scenario-" + version, true),
                NioIoHandler.newFactory());
        Handler handler = new Handler("v2".equals(version), seed, new SplittableRandom(seed * 31 + version.hashCode()),
                clock);
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            children.add(ch);
                            ch.closeFuture().addListener(f -> children.remove(ch));
                            ch.pipeline().addLast(new HttpServerCodec()).addLast(new HttpObjectAggregator(64 * 1024))
                                    .addLast(handler);
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /**
     * Starts one version on a free loopback port.
     *
     * @param version {@code "v1"} or {@code "v2"}
     * @param seed    decides which items carry v2's rare bugs (the same in both versions) and seeds the noise
     * @param clock   the time written into {@code generatedAt} and {@code updatedAt}
     */
    public static ScenarioService start(String version, long seed, Clock clock) {
        if (!"v1".equals(version) && !"v2".equals(version)) {
            throw new IllegalArgumentException("version must be \"v1\" or \"v2\": " + version);
        }
        return new ScenarioService(version, seed, clock);
    }

    /** The version this instance plays. */
    public String version() {
        return version;
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops listening, closes connections, stops threads. Idempotent. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Channel ch : children) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "ScenarioService[" + version + " @ 127.0.0.1:" + port() + "]";
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final boolean v2;
        private final long seed;
        private final SplittableRandom random;
        private final Clock clock;

        Handler(boolean v2, long seed, SplittableRandom random, Clock clock) {
            this.v2 = v2;
            this.seed = seed;
            this.random = random;
            this.clock = clock;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String[] parts = new QueryStringDecoder(request.uri()).path().split("/");
            // "", "s", scenario, "items", n
            Scenario scenario = parts.length == 5 && parts[1].equals("s") && parts[3].equals("items")
                    ? Scenario.bySegment(parts[2]) : null;
            int item = -1;
            if (scenario != null && parts[4].matches("[0-9]{1,9}")) {
                item = Integer.parseInt(parts[4]);
            }
            if (item < 0) {
                write(ctx, HttpResponseStatus.NOT_FOUND, JSON.createObjectNode().put("error", "no such item"), 0,
                        keepAlive);
                return;
            }
            if (v2 && scenario == Scenario.MORE_ERRORS && Scenario.drawn(seed, item, Scenario.ERROR_PERCENT)) {
                write(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, JSON.createObjectNode().put("error", "unavailable"),
                        1, keepAlive);
                return;
            }
            ObjectNode body = answer(scenario, item);
            int took;
            synchronized (random) {
                took = random.nextInt(10);
            }
            if (v2 && scenario == Scenario.SLOWER) {
                ctx.executor().schedule(() -> write(ctx, HttpResponseStatus.OK, body, took, keepAlive),
                        Scenario.EXTRA_LATENCY_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                write(ctx, HttpResponseStatus.OK, body, took, keepAlive);
            }
        }

        private ObjectNode answer(Scenario scenario, int item) {
            Instant now = clock.instant();
            ObjectNode o = JSON.createObjectNode();
            o.put("item", item);
            o.put("name", "item-" + item);
            String user = "user-" + (item % 17);
            if (v2 && scenario == Scenario.RENAMED_FIELD) {
                o.put("username", user);
            } else {
                o.put("userName", user);
            }
            BigDecimal price = BigDecimal.valueOf(item % 50 * 125 + 99, 2);
            if (v2 && scenario == Scenario.RARE_PRICE_BUG && Scenario.drawn(seed, item, Scenario.PRICE_BUG_PERCENT)) {
                price = price.add(new BigDecimal("0.01"));
            }
            o.put("price", price);
            List<Integer> ranked = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ranked.add((item * 7 + i * 13) % 100);
            }
            ranked.sort(null);
            if (v2 && scenario == Scenario.BROKEN_SORT) {
                java.util.Collections.reverse(ranked);
            }
            ArrayNode r = o.putArray("ranked");
            ranked.forEach(r::add);
            o.put("updatedAt", v2 && scenario == Scenario.TIME_ZONE ? PLUS_TWO_MILLIS.format(now)
                    : UTC_MILLIS.format(now));
            List<String> tags = new ArrayList<>(TAGS);
            boolean cacheHit;
            String orderRef;
            synchronized (random) {
                for (int i = tags.size() - 1; i > 0; i--) {
                    java.util.Collections.swap(tags, i, random.nextInt(i + 1));
                }
                cacheHit = random.nextInt(100) < Scenario.CACHE_FLIP_PERCENT;
                orderRef = new UUID(random.nextLong(), random.nextLong()).toString();
            }
            ArrayNode t = o.putArray("tags");
            tags.forEach(t::add);
            o.put("cacheHit", cacheHit);
            o.put("orderRef", orderRef);
            o.put("generatedAt", UTC_MILLIS.format(now));
            return o;
        }

        private void write(ChannelHandlerContext ctx, HttpResponseStatus status, ObjectNode body, int took,
                boolean keepAlive) {
            if (status == HttpResponseStatus.OK) {
                body.put("took", took);
            }
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a tree of strings and numbers", e);
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(bytes));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                    .set("x-response-time", took + "ms");
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
