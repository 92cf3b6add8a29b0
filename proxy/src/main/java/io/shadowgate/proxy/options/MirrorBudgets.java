package io.shadowgate.proxy.options;

import java.time.Duration;

/**
 * What mirrors may cost (their budgets guarantee the primary is never slowed) and how the copy looks.
 *
 * @param maxInFlight         mirrored requests in flight per mirror cluster; more are dropped
 * @param timeout             a mirrored request's timeout when its route has none
 * @param maxBufferedBytes    bytes buffered for one mirrored request (body waiting for a slow mirror); more abandons
 *                            that mirror
 * @param globalBufferedBytes bytes buffered for all mirrored requests together; more abandons the mirror
 * @param maxResponseBytes    bytes of a mirror's response read before the rest is cut off
 * @param cpuBudget           share of an event loop's wall-clock time (0..1) above which that loop starts no new
 *                            mirrors ({@code dropped_cpu}) for the next 100 ms; 1 turns the budget off
 * @param shadowHostSuffix    append {@code -shadow} to a mirrored request's authority (Istio before 1.28)
 * @param markerHeader        header added to every mirrored request ({@code null}: none)
 */
public record MirrorBudgets(int maxInFlight, Duration timeout, long maxBufferedBytes, long globalBufferedBytes,
                            long maxResponseBytes, double cpuBudget, boolean shadowHostSuffix, String markerHeader) {
}
