/**
 * {@code shadowgate explain}'s output: {@link io.shadowgate.cli.explain.ExplainReport} renders one request's
 * routing decision ({@code io.shadowgate.config.decide}) and its trace as text and as JSON. No decision is made
 * here: the proxy and {@code explain} share {@code RouteDecider.decide}, so what {@code explain} shows is what the
 * gateway does.
 */
package io.shadowgate.cli.explain;
