package io.shadowgate.cli;

import io.netty.util.ResourceLeakDetector;
import io.shadowgate.cli.commands.DemoCommand;
import io.shadowgate.cli.commands.ExplainCommand;
import io.shadowgate.cli.commands.ReportCommand;
import io.shadowgate.cli.commands.RollbackCommand;
import io.shadowgate.cli.commands.RunCommand;
import io.shadowgate.cli.commands.StatusCommand;
import io.shadowgate.cli.commands.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowgate}: the entry point of the runnable jar. */
@Command(name = "shadowgate", mixinStandardHelpOptions = true, version = "shadowgate 0.1.0",
        description = "Traffic mirroring and progressive delivery from Istio YAML, with v2-vs-v1 comparison.",
        subcommands = {RunCommand.class, ValidateCommand.class, ExplainCommand.class, DemoCommand.class,
                ReportCommand.class, StatusCommand.class, RollbackCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        disableLeakDetectionUnlessAsked();
        System.exit(execute(args));
    }

    /**
     * Turns Netty's buffer leak detector off for production runs unless {@code -Dio.netty.leakDetection.level} (or
     * its old name {@code io.netty.leakDetectionLevel}) was given: its default, {@code simple}, samples one buffer in
     * 128 with a stack walk, ~2.6% of the event loop (docs/performance.md, F2). Tests keep {@code paranoid}: they set
     * the property, and they call {@link #execute}, not this method.
     */
    static void disableLeakDetectionUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
