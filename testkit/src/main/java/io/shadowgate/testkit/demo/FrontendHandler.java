package io.shadowgate.testkit.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request router and JSON rendering of {@link FrontendApp}.
 *
 * <p>Threading: one instance is shared by all connections of an app ({@link ChannelHandler.Sharable}); it holds only
 * immutable data plus an {@link AtomicLong} clock, so concurrent event loops are safe.
 *
 * <p>ByteBuf ownership: {@link SimpleChannelInboundHandler} releases the aggregated request after
 * {@link #channelRead0}; the response content wraps a {@code byte[]} and is released by Netty once written.
 */
@ChannelHandler.Sharable
final class FrontendHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String CURRENCY = "EUR";
    private static final int MAX_QTY = 1000;

    /** Fixed catalogue; the order is the order of {@code GET /api/products}. */
    private static final Map<Long, Product> PRODUCTS;
    private static final List<Product> ORDER;

    static {
        Map<Long, Product> products = new LinkedHashMap<>();
        products.put(1L, new Product(1, "Espresso Cup", new BigDecimal("19.99"), true));
        products.put(2L, new Product(2, "Pour-Over Kettle", new BigDecimal("49.50"), false));
        products.put(3L, new Product(3, "Burr Grinder", new BigDecimal("129.00"), true));
        PRODUCTS = Map.copyOf(products);
        ORDER = List.copyOf(products.values());
    }

    private static final List<String> ENDPOINTS = List.of(
            "GET /", "GET /api/products", "GET /api/products/{id}", "GET /api/health", "POST /api/cart",
            "GET /api/version");

    private final String version;
    private final boolean v2;
    /** Last issued generatedAt in epoch millis; bumped so that two answers never share a timestamp. */
    private final AtomicLong lastMillis = new AtomicLong();

    FrontendHandler(String version) {
        this.version = version;
        this.v2 = "v2".equals(version);
    }

    private record Product(long id, String name, BigDecimal price, boolean inStock) {
    }

    /** Thrown for requests the client got wrong; becomes a JSON error with the given status. */
    private static final class ClientError extends Exception {
        private final HttpResponseStatus status;

        ClientError(HttpResponseStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpResponseStatus status = HttpResponseStatus.OK;
        ObjectNode body;
        if (request.decoderResult().isFailure()) {
            keepAlive = false;
            status = HttpResponseStatus.BAD_REQUEST;
            body = error("malformed request");
        } else {
            try {
                body = route(request);
            } catch (ClientError e) {
                status = e.status;
                body = error(e.getMessage());
            }
        }
        body.put("generatedAt", generatedAt());
        write(ctx, status, body, keepAlive);
    }

    private ObjectNode route(FullHttpRequest request) throws ClientError {
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        if (path.equals("/api/cart")) {
            requireMethod(method, HttpMethod.POST);
            return cart(request);
        }
        if (path.equals("/") || path.startsWith("/api/")) {
            requireMethod(method, HttpMethod.GET);
        }
        if (path.equals("/")) {
            ObjectNode index = JSON.createObjectNode().put("app", "shadowgate-demo-frontend");
            ArrayNode endpoints = index.putArray("endpoints");
            ENDPOINTS.forEach(endpoints::add);
            return index;
        }
        if (path.equals("/api/products")) {
            ObjectNode list = JSON.createObjectNode();
            ArrayNode products = list.putArray("products");
            // The list keeps the v1 shape in both versions: the demo difference is confined to the detail endpoint.
            ORDER.forEach(p -> products.add(productV1(p)));
            return list;
        }
        if (path.startsWith("/api/products/")) {
            Product product = findProduct(path.substring("/api/products/".length()));
            return v2 ? productV2(product) : productV1(product);
        }
        if (path.equals("/api/health")) {
            return JSON.createObjectNode().put("status", "UP");
        }
        if (path.equals("/api/version")) {
            return JSON.createObjectNode().put("version", version);
        }
        throw new ClientError(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) throws ClientError {
        if (!expected.equals(actual)) {
            throw new ClientError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + actual + " not allowed, use " + expected);
        }
    }

    private static Product findProduct(String id) throws ClientError {
        Product product = null;
        if (id.matches("[0-9]{1,9}")) {
            product = PRODUCTS.get(Long.parseLong(id));
        }
        if (product == null) {
            throw new ClientError(HttpResponseStatus.NOT_FOUND, "product not found: " + id);
        }
        return product;
    }

    private static ObjectNode productV1(Product p) {
        return JSON.createObjectNode()
                .put("id", p.id())
                .put("name", p.name())
                .put("price", p.price())
                .put("inStock", p.inStock());
    }

    private static ObjectNode productV2(Product p) {
        return JSON.createObjectNode()
                .put("id", p.id())
                .put("name", p.name())
                .put("price", p.price().toPlainString() + " " + CURRENCY)
                .put("available", p.inStock());
    }

    private static ObjectNode cart(FullHttpRequest request) throws ClientError {
        JsonNode root;
        try (InputStream in = new ByteBufInputStream(request.content().duplicate())) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new ClientError(HttpResponseStatus.BAD_REQUEST, "cart is not valid JSON");
        }
        if (root == null || !root.path("items").isArray()) {
            throw new ClientError(HttpResponseStatus.BAD_REQUEST, "cart must be {\"items\":[{\"id\":…,\"qty\":…}]}");
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode lines = answer.putArray("items");
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode item : root.get("items")) {
            JsonNode id = item.path("id");
            JsonNode qty = item.path("qty");
            if (!id.canConvertToLong() || !id.isIntegralNumber()) {
                throw new ClientError(HttpResponseStatus.BAD_REQUEST, "item id must be an integer: " + item);
            }
            if (!qty.isIntegralNumber() || qty.asLong() < 1 || qty.asLong() > MAX_QTY) {
                throw new ClientError(HttpResponseStatus.BAD_REQUEST, "item qty must be an integer in [1, " + MAX_QTY + "]: " + item);
            }
            Product product = PRODUCTS.get(id.asLong());
            if (product == null) {
                throw new ClientError(HttpResponseStatus.BAD_REQUEST, "unknown product id: " + id.asLong());
            }
            BigDecimal lineTotal = product.price().multiply(BigDecimal.valueOf(qty.asLong())).setScale(2, RoundingMode.HALF_UP);
            total = total.add(lineTotal);
            lines.addObject()
                    .put("id", product.id())
                    .put("name", product.name())
                    .put("qty", qty.asLong())
                    .put("unitPrice", product.price())
                    .put("lineTotal", lineTotal);
        }
        answer.put("total", total.setScale(2, RoundingMode.HALF_UP));
        answer.put("currency", CURRENCY);
        return answer;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private String generatedAt() {
        long now = System.currentTimeMillis();
        long stamp = lastMillis.updateAndGet(last -> Math.max(now, last + 1));
        return MILLIS_UTC.format(Instant.ofEpochMilli(stamp));
    }

    private void write(ChannelHandlerContext ctx, HttpResponseStatus status, ObjectNode body, boolean keepAlive) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of strings and numbers", e);
        }
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set("x-app-version", version)
                .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Client resets and the like: nothing a demo app could do better than dropping the connection.
        ctx.close();
    }
}
