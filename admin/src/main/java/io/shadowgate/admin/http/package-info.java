/**
 * The admin server's tiny HTTP framework: {@link io.shadowgate.admin.http.AdminEndpoint} (one class per endpoint),
 * {@link io.shadowgate.admin.http.AdminRouter} (exact paths, 404 and 405), plain request/response values, and the
 * Netty handler that connects them.
 */
package io.shadowgate.admin.http;
