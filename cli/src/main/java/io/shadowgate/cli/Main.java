package io.shadowgate.cli;

import io.shadowgate.cli.commands.DemoCommand;
import io.shadowgate.cli.commands.ExplainCommand;
import io.shadowgate.cli.commands.ReportCommand;
import io.shadowgate.cli.commands.RollbackCommand;
import io.shadowgate.cli.commands.RunCommand;
import io.shadowgate.cli.commands.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowgate}: the entry point of the runnable jar. */
@Command(name = "shadowgate", mixinStandardHelpOptions = true, version = "shadowgate 0.1.0",
        description = "Traffic mirroring and progressive delivery from Istio YAML, with v2-vs-v1 comparison.",
        subcommands = {RunCommand.class, ValidateCommand.class, ExplainCommand.class, DemoCommand.class,
                ReportCommand.class, RollbackCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
