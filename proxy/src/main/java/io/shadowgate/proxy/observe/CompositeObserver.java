package io.shadowgate.proxy.observe;

import java.util.List;

/** Fans every event out to several observers, in order. */
public final class CompositeObserver implements ProxyObserver {

    private final List<ProxyObserver> observers;

    public CompositeObserver(List<ProxyObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void onRequest(RequestLog log) {
        for (ProxyObserver o : observers) {
            o.onRequest(log);
        }
    }

    @Override
    public void onMirror(RequestLog log) {
        for (ProxyObserver o : observers) {
            o.onMirror(log);
        }
    }

    @Override
    public void onMirrorSkipped(String cluster, String reason) {
        for (ProxyObserver o : observers) {
            o.onMirrorSkipped(cluster, reason);
        }
    }

    @Override
    public void onComparablePair(RequestLog primary, RequestLog mirror, CapturedResponse primaryResponse,
                                 CapturedResponse mirrorResponse) {
        for (ProxyObserver o : observers) {
            o.onComparablePair(primary, mirror, primaryResponse, mirrorResponse);
        }
    }

    @Override
    public void onNoiseSample(RequestLog primary, CapturedResponse first, CapturedResponse second) {
        for (ProxyObserver o : observers) {
            o.onNoiseSample(primary, first, second);
        }
    }

    @Override
    public void onConnection(int listenerPort, int delta) {
        for (ProxyObserver o : observers) {
            o.onConnection(listenerPort, delta);
        }
    }

    @Override
    public void onRequestRefused(int listenerPort, int status, String reason) {
        for (ProxyObserver o : observers) {
            o.onRequestRefused(listenerPort, status, reason);
        }
    }

    @Override
    public void onSnapshot(String version) {
        for (ProxyObserver o : observers) {
            o.onSnapshot(version);
        }
    }
}
