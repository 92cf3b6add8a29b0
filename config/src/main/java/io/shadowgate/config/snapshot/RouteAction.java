package io.shadowgate.config.snapshot;

/** What a matched route does: forward to clusters, redirect, or answer directly. */
public sealed interface RouteAction permits ForwardAction, RedirectAction, DirectResponseAction {
}
