package io.shadowgate.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowgate report}: the v2-vs-v1 comparison of a running gateway, as a table or JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Show how mirrored versions compare with production, from a running gateway's admin port.")
public final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15000",
            description = "The gateway's admin address (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--reset", description = "Clear the comparison data after printing it.")
    boolean reset;

    @Option(names = "--export", description = "Print the recent differences as JSON lines instead.")
    boolean export;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient client = new AdminClient(admin);
        try {
            String path = export ? "/compare/export" : "json".equals(output) ? "/compare" : "/compare?format=text";
            HttpResponse<String> r = client.get(path);
            if (r.statusCode() != 200) {
                err.println("shadowgate: " + client.base() + path + " answered " + r.statusCode() + ": "
                        + r.body());
                return 1;
            }
            out.println(r.body());
            if (!export && !"json".equals(output)) {
                // A comparison is read against what serves: say when the config files say something else.
                HttpResponse<String> config = client.get("/config");
                String drift = config.statusCode() == 200
                        ? StatusCommand.driftLine(new ObjectMapper().readTree(config.body())) : null;
                if (drift != null) {
                    out.println();
                    out.println(drift);
                }
            }
            if (reset) {
                client.post("/compare/reset");
            }
            return 0;
        } catch (ConnectException e) {
            err.println("shadowgate: no gateway admin at " + client.base()
                    + " (start one with ./shadowgate run or ./shadowgate demo, or pass --admin)");
            return 2;
        }
    }
}
