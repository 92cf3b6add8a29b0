/**
 * Grouping of exchanges: which comparisons are counted together.
 *
 * <p>Owns {@link io.shadowgate.compare.group.GroupKey} (route key + method + path template) and
 * {@link io.shadowgate.compare.group.PathTemplates}, which collapses id-like path segments to
 * {@code {id}} so that {@code /users/1} and {@code /users/2} land in the same group. Stateless and
 * thread-safe.
 */
package io.shadowgate.compare.group;
