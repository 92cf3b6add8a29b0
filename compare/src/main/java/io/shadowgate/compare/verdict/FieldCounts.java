package io.shadowgate.compare.verdict;

import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.noise.NoiseStatus;

/**
 * What is known about one differing field of a group, as plain counts. Immutable.
 *
 * @param path                grouping location
 * @param kind                kind of difference ({@code null} for the overflow entry)
 * @param detail              qualifier or {@code null}
 * @param mirrorDiffers       exchanges in which v2's answer differed from v1's this way
 * @param groupPrimaryDiffers noise samples of the group in which two v1 answers differed this way
 * @param routePrimaryDiffers noise samples of the whole route in which two v1 answers differed this way
 * @param unorderedArray      whether v1 returns the array at {@code path} in varying order
 * @param shapeNoise          the value-shape rules' opinion (used only without samples)
 * @param shapeSettled        whether the shape rules are sure it is no noise: the field is not a plain value change
 *                            (only those can be shape noise), or it had their minimum of observations and its values
 *                            do not look generated
 * @param generatedKind       what kind of freshly generated value ({@code timestamp}, {@code UUID}...) v2's and v1's
 *                            values here mostly are ({@link io.shadowgate.compare.noise.PathNoise#generatedKind}),
 *                            or {@code null}
 */
public record FieldCounts(String path, DiffKind kind, String detail, long mirrorDiffers, long groupPrimaryDiffers,
        long routePrimaryDiffers, boolean unorderedArray, NoiseStatus shapeNoise, boolean shapeSettled,
        String generatedKind) {
}
