package io.shadowgate.cli.commands;

import io.shadowgate.cli.gateway.GatewayProcess;
import io.shadowgate.cli.gateway.GatewaySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shadowgate run -f PATH...}: serve Istio YAML, reloading it when the files change. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the gateway from Istio YAML files or directories (watched and hot-reloaded).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a directory of .yaml/.yml files; repeatable, like kubectl.")
    List<Path> paths;

    @Mixin
    GatewayOptions options;

    @Override
    public Integer call() throws Exception {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                System.err.println("shadowgate: " + p + ": no such file or directory");
                return 2;
            }
        }
        GatewaySpec spec;
        try {
            spec = options.spec();
        } catch (IllegalArgumentException e) {
            System.err.println("shadowgate: " + e.getMessage());
            return 2;
        }
        GatewayProcess gateway = GatewayProcess.startFromFiles(paths, spec, System.err);
        if (gateway == null) {
            return 1;
        }
        System.out.println("shadowgate: serving " + gateway.proxy().snapshot().version() + " on "
                + gateway.proxy().boundAddresses() + (options.adminEnabled() ? ", admin on " + gateway.services().adminAddress()
                : ", admin off"));
        gateway.awaitShutdown();
        return 0;
    }
}
