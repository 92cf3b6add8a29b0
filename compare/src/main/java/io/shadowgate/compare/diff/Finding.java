package io.shadowgate.compare.diff;

import java.util.Objects;

/**
 * A difference together with whether it is currently considered noise. Immutable.
 *
 * @param difference  the difference
 * @param noise       whether it is noise (learned or detected)
 * @param noiseReason why it is noise, {@code null} when it is not
 */
public record Finding(Difference difference, boolean noise, String noiseReason) {

    public Finding {
        Objects.requireNonNull(difference, "difference");
    }
}
