package io.shadowgate.control;

import java.time.Instant;
import java.util.List;

/**
 * What is serving, and whether the sources still say the same: an immutable copy taken under the controller's lock.
 *
 * @param serving             the version serving now, or {@code null} before the first
 * @param pinned              whether it was put back by a rollback: it stays until a source's content changes
 * @param sourcesMatchServing whether the sources' latest content compiles to the serving version; {@code false}
 *                            after a rollback (until the sources are brought back) and after a rejected change
 * @param drift               when they do not match, a sentence saying how; else {@code null}
 * @param sources             each source's latest content
 * @param rejections          changes rejected since start-up
 * @param errorPolicy         what a change with errors gets
 */
public record ConfigState(ConfigVersion serving, boolean pinned, boolean sourcesMatchServing, String drift,
                          List<SourceState> sources, long rejections, ErrorPolicy errorPolicy) {

    public ConfigState {
        sources = List.copyOf(sources);
    }

    /**
     * One source's latest content.
     *
     * @param name        the source's name
     * @param contentHash the hash of its latest content, or {@code null} before it delivered any
     * @param receivedAt  when that content arrived, or {@code null}
     * @param accepted    whether that content is part of the configuration compiled last (a content that failed to
     *                    load, or whose check failed, is not: the source's last good content is used instead)
     * @param ready       whether a complete content of the source (one that had read everything it watches) has been
     *                    accepted: a gateway is not ready before every source is
     */
    public record SourceState(String name, String contentHash, Instant receivedAt, boolean accepted, boolean ready) {
    }

    /** Whether every source is ready (a gateway is not ready before). */
    public boolean sourcesReady() {
        return sources.stream().allMatch(SourceState::ready);
    }
}
