package io.shadowgate.cli.commands;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowgate report}: the v2-vs-v1 comparison of a running gateway, as a table or JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Show how mirrored versions compare with production, from a running gateway's admin port.")
public final class ReportCommand implements Callable<Integer> {

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
        AdminClient client = new AdminClient(admin);
        try {
            String path = export ? "/compare/export" : "json".equals(output) ? "/compare" : "/compare?format=text";
            HttpResponse<String> r = client.get(path);
            if (r.statusCode() != 200) {
                System.err.println("shadowgate: " + client.base() + path + " answered " + r.statusCode() + ": "
                        + r.body());
                return 1;
            }
            System.out.println(r.body());
            if (reset) {
                client.post("/compare/reset");
            }
            return 0;
        } catch (ConnectException e) {
            System.err.println("shadowgate: no gateway admin at " + client.base()
                    + " (start one with ./shadowgate run or ./shadowgate demo, or pass --admin)");
            return 2;
        }
    }
}
