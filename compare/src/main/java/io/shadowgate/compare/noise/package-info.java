/**
 * Deciding what is noise: differences that say nothing about whether the mirror is correct.
 *
 * <p>Owns the three sources of noise:
 * <ul>
 *   <li>user ignore rules ({@link io.shadowgate.compare.noise.IgnoreRules}: header names and JSON
 *       pointer patterns with {@code *}) — ignored locations are never compared;</li>
 *   <li>noise learned from two answers of the same version to the same request
 *       ({@link io.shadowgate.compare.noise.PathNoise#markLearnedFromSample()});</li>
 *   <li>noise detected statistically: a location whose values differ on most requests with fresh
 *       values that look unrelated ({@link io.shadowgate.compare.noise.ValueShape},
 *       {@link io.shadowgate.compare.noise.NoisePolicy}).</li>
 * </ul>
 * Learned and detected noise is still reported, marked as noise, but does not count against the
 * verdict.
 */
package io.shadowgate.compare.noise;
