/**
 * Problems found while loading, validating and compiling configuration, each with its place: file, line, column,
 * resource and field path. Shared by {@code run}, {@code validate} and the admin API.
 */
package io.shadowgate.config.diagnostics;
