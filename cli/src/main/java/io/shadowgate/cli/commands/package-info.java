/** One picocli command per class: {@code run}, {@code demo}, {@code validate}, {@code explain}, {@code report},
 * {@code status}, {@code rollback}. Commands parse options into a {@code GatewaySpec} and delegate to
 * {@code io.shadowgate.cli.gateway} (which never depends on this package). */
package io.shadowgate.cli.commands;
