package io.shadowgate.cli.commands;

import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowgate rollback [--to VERSION]}: back one config version, or to a chosen one, at once. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Switch a running gateway back one config version (to the one that served before the one "
                + "serving now), or to the version given with --to. Each rollback steps back once more; at the "
                + "start of the history it fails (exit 1) and nothing changes.",
                "It takes effect at once and stays until the config files' content changes; a touch or a save "
                        + "without changes does not undo it. `shadowgate status` shows the versions."})
public final class RollbackCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15000",
            description = "The gateway's admin address (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--to", paramLabel = "VERSION",
            description = "The version to serve: its number from `shadowgate status` (3 or #3) or its hash "
                    + "(sha256:0123456789ab, or a prefix).")
    String to;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient client = new AdminClient(admin);
        String path = to == null ? "/rollback" : "/rollback?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = client.post(path);
            out.println(r.body());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            err.println("shadowgate: no gateway admin at " + client.base());
            return 2;
        }
    }
}
