/**
 * The data path's knobs: {@link io.shadowgate.proxy.options.ProxyOptions}, every limit and default with its unit.
 * A leaf package (it depends on nothing else of the proxy), so the server, the mirror dispatcher and the CLI can all
 * read the options without depending on each other.
 */
package io.shadowgate.proxy.options;
