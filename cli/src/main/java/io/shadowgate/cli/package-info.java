/**
 * The {@code shadowgate} command line: {@link io.shadowgate.cli.Main} and its subcommands in
 * {@code io.shadowgate.cli.commands}; the wiring of a running gateway in {@code io.shadowgate.cli.gateway}.
 */
package io.shadowgate.cli;
