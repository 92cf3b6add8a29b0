/** One picocli command per class: {@code run}, {@code demo}, {@code validate}, {@code explain}, {@code report},
 * {@code rollback}. Commands parse options and delegate to {@code io.shadowgate.cli.gateway}. */
package io.shadowgate.cli.commands;
