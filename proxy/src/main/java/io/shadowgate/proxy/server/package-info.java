/**
 * The client side of the data path: listeners, the pipeline of each client connection, and the exchange that
 * carries one request from the client to an upstream (and its mirrors) and the response back.
 *
 * <p>Threading: everything of one client connection, including its upstream and mirror connections, runs on that
 * connection's event loop. Flow control (AUTO_READ off, read after write, watermarks) is described in
 * {@code docs/data-path.md}.
 */
package io.shadowgate.proxy.server;
