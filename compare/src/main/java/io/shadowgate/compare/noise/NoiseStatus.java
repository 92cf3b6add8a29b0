package io.shadowgate.compare.noise;

/**
 * Whether a location is currently considered noise, and why. Immutable.
 *
 * @param noise  whether differences at the location are noise
 * @param reason human-readable reason, {@code null} when not noise
 */
public record NoiseStatus(boolean noise, String reason) {

    /** Not noise. */
    public static final NoiseStatus NOT_NOISE = new NoiseStatus(false, null);
}
