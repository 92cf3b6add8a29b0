package io.shadowgate.cli.commands;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowgate rollback}: back to the previous good config version, at once. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Switch a running gateway back to its previous good config version. It takes effect at once "
                + "and stays until the config files change again.")
public final class RollbackCommand implements Callable<Integer> {

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15000",
            description = "The gateway's admin address (default: ${DEFAULT-VALUE}).")
    String admin;

    @Override
    public Integer call() throws Exception {
        AdminClient client = new AdminClient(admin);
        try {
            HttpResponse<String> r = client.post("/rollback");
            System.out.println(r.body());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            System.err.println("shadowgate: no gateway admin at " + client.base());
            return 2;
        }
    }
}
