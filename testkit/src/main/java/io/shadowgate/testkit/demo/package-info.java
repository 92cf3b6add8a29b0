/**
 * The small JSON "frontend" shop app that {@code shadowgate demo} runs twice — version {@code v1} as the primary and
 * {@code v2} as the mirror target — so the comparison report has a realistic, deliberate difference to find.
 *
 * <p>{@link io.shadowgate.testkit.demo.FrontendApp#start(String, String, int)} starts one instance (Netty HTTP/1.1,
 * keep-alive, request bodies up to 1 MiB). Endpoints:
 * <ul>
 *   <li>{@code GET /} — index: {@code {"app","endpoints":[…],"generatedAt"}};</li>
 *   <li>{@code GET /api/products} — the three fixed products (ids 1, 2, 3) in the v1 shape, in both versions;</li>
 *   <li>{@code GET /api/products/{id}} — one product, {@code 404} JSON error for an unknown id;</li>
 *   <li>{@code GET /api/health} — {@code {"status":"UP","generatedAt"}};</li>
 *   <li>{@code POST /api/cart} — body {@code {"items":[{"id":1,"qty":2}]}}, answer with line totals and
 *       {@code "total"} (decimal, 2 places) and {@code "currency":"EUR"}; {@code 400} for malformed carts;</li>
 *   <li>{@code GET /api/version} — {@code {"version":"v1"|"v2","generatedAt"}}.</li>
 * </ul>
 * Unknown paths answer {@code 404}, wrong methods {@code 405}, always with a JSON body.
 *
 * <p>Every answer has {@code content-type: application/json}, the header {@code x-app-version: v1|v2} and a noisy
 * {@code "generatedAt"} field (ISO-8601 UTC with milliseconds, strictly increasing per instance, so it differs on
 * every call) that a comparison must learn to ignore. The version appears <em>only</em> in {@code x-app-version} and in
 * {@code GET /api/version}; no other body carries it.
 *
 * <p>The one deliberate difference between v1 and v2, only on {@code GET /api/products/{id}}:
 * <pre>
 * v1: {"id":1,"name":"Espresso Cup","price":19.99,"inStock":true,"generatedAt":"…"}
 * v2: {"id":1,"name":"Espresso Cup","price":"19.99 EUR","available":true,"generatedAt":"…"}
 * </pre>
 * ({@code inStock} renamed to {@code available}; {@code price} changes from a JSON number to a string with currency.)
 */
package io.shadowgate.testkit.demo;
