package io.shadowgate.config.source;

import io.shadowgate.config.load.LoadResult;
import java.util.Objects;

/**
 * The whole current content of one {@link ConfigSource}.
 *
 * @param source      the source's {@link ConfigSource#name()}
 * @param load        the resources read, the diagnostics about them (file:line or resource names) and the origins
 *                    (files, or {@code kubernetes://namespace/kind/name})
 * @param contentHash a hash of what was read (bytes of the files, resource versions of API objects): equal hashes
 *                    mean equal content, so the controller reloads only when it changes
 * @param ready       whether the source has read everything it watches at least once (Kubernetes: every kind
 *                    listed); a gateway is not ready before every source is
 */
public record SourceContent(String source, LoadResult load, String contentHash, boolean ready) {

    public SourceContent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(contentHash, "contentHash");
    }
}
