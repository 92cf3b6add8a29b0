package io.shadowgate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowgate status}: which config version a running gateway serves, whether its config files say something
 * else (after a rollback, after a rejected change), the versions it keeps and its recent history.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show which config version a running gateway serves, whether the config files differ from it, "
                + "the versions kept (for rollback --to) and the recent history.")
public final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final int EVENTS_SHOWN = 10;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15000",
            description = "The gateway's admin address (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = {"-o", "--output"}, defaultValue = "text",
            description = "text or json (the admin API's /config) (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient client = new AdminClient(admin);
        HttpResponse<String> r;
        try {
            r = client.get("/config");
        } catch (ConnectException e) {
            err.println("shadowgate: no gateway admin at " + client.base()
                    + " (start one with ./shadowgate run or ./shadowgate demo, or pass --admin)");
            return 2;
        }
        if (r.statusCode() != 200) {
            err.println("shadowgate: " + client.base() + "/config answered " + r.statusCode() + ": " + r.body());
            return 1;
        }
        if ("json".equals(output)) {
            out.println(r.body());
            return 0;
        }
        print(new ObjectMapper().readTree(r.body()), out);
        return 0;
    }

    /** The {@code /config} document as a few lines for a terminal. */
    static void print(JsonNode c, PrintWriter out) {
        if (c.path("number").isNull() || c.path("number").isMissingNode()) {
            out.println("serving: nothing");
        } else {
            out.println("serving: #" + c.get("number").asInt() + " " + c.path("version").asText() + " applied "
                    + time(c.path("applied_at")) + (c.path("pinned_by_rollback").asBoolean() ? " (rolled back)"
                    : ""));
        }
        out.println("sources: " + join(c.path("sources")));
        String drift = driftLine(c);
        out.println(drift == null ? "config files: match what is serving" : drift);
        out.println();
        out.println("versions (newest first; rollback --to NUMBER):");
        for (JsonNode v : c.path("versions")) {
            out.println("  " + (v.path("serving").asBoolean() ? "* " : "  ") + "#" + v.path("number").asInt() + "  "
                    + v.path("version").asText() + "  " + time(v.path("applied_at"))
                    + (v.path("parent").isNull() ? "" : "  after #" + v.path("parent").asInt())
                    + ("applied_with_errors".equals(v.path("outcome").asText()) ? "  APPLIED WITH ERRORS" : ""));
            for (JsonNode change : v.path("changes")) {
                out.println("        " + change.asText());
            }
        }
        out.println();
        out.println("history (newest first):");
        int shown = 0;
        for (JsonNode e : c.path("history")) {
            if (shown++ == EVENTS_SHOWN) {
                out.println("  … " + (c.path("history").size() - EVENTS_SHOWN) + " more: shadowgate status -o json");
                break;
            }
            out.println("  " + time(e.path("at")) + "  " + e.path("outcome").asText()
                    + (e.path("number").isNull() ? "" : "  serving #" + e.path("number").asInt())
                    + "  (" + e.path("trigger").asText() + ")");
            List<String> lines = new ArrayList<>();
            e.path("changes").forEach(x -> lines.add(x.asText()));
            e.path("messages").forEach(x -> lines.add(x.asText()));
            for (String l : lines) {
                out.println("      " + l);
            }
        }
    }

    /** A line saying the config files differ from what is serving, or {@code null} when they do not. */
    static String driftLine(JsonNode config) {
        if (config.path("sources_match_serving").asBoolean(true)) {
            return null;
        }
        return "config files: DIFFER from what is serving: " + config.path("drift").asText();
    }

    /** An ISO instant to the second ({@code 2026-12-08T01:16:38Z}); other text as it is. */
    private static String time(JsonNode t) {
        try {
            return Instant.parse(t.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return t.asText();
        }
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out.isEmpty() ? "-" : String.join(", ", out);
    }
}
