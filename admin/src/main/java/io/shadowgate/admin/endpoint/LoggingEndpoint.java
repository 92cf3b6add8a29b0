package io.shadowgate.admin.endpoint;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * {@code /logging}, as Envoy's: {@code GET} lists loggers and their levels; {@code POST /logging?level=debug}
 * sets every logger (root and every logger with its own level); {@code POST /logging?io.shadowgate.proxy=debug}
 * sets one logger (its children inherit), {@code POST /logging?paths=a:debug,b:warn} several. Levels:
 * {@code trace, debug, info, warn(ing), error, critical (= error), off}, and {@code inherit} to clear a logger's own
 * level. {@code root} names the root logger. Works with Logback (the CLI's SLF4J binding); otherwise answers 501.
 */
public final class LoggingEndpoint implements AdminEndpoint {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(LoggingEndpoint.class);

    @Override
    public Set<String> methods() {
        return GET_POST;
    }

    @Override
    public String description() {
        return "GET: loggers and levels; POST ?level=debug (all) or ?<logger>=<level> changes levels at runtime";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx)) {
            return AdminResponse.text(501, "log levels can only be changed with Logback (found "
                    + factory.getClass().getName() + ")\n");
        }
        if ("POST".equals(request.method())) {
            Map<String, String> changes = new LinkedHashMap<>();
            for (var e : request.query().entrySet()) {
                String name = e.getKey();
                String value = e.getValue().isEmpty() ? "" : e.getValue().get(0);
                if (name.equals("format")) {
                    continue;
                }
                if (name.equals("paths")) {
                    for (String pair : value.split(",")) {
                        int colon = pair.lastIndexOf(':');
                        if (colon <= 0) {
                            return AdminResponse.text(400, "paths: " + pair + " (expected: logger:level)\n");
                        }
                        changes.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
                    }
                } else {
                    changes.put(name, value);
                }
            }
            if (changes.isEmpty()) {
                return AdminResponse.text(400, "usage: POST /logging?level=<level> or /logging?<logger>=<level> "
                        + "(levels: trace, debug, info, warn, error, critical, off, inherit)\n");
            }
            for (var c : changes.entrySet()) {
                String levelName = c.getValue().toLowerCase(Locale.ROOT);
                boolean inherit = levelName.equals("inherit") || levelName.equals("null");
                Level level = inherit ? null : parse(levelName);
                if (level == null && !inherit) {
                    return AdminResponse.text(400, "unknown level: " + c.getValue()
                            + " (expected: trace, debug, info, warn, error, critical, off, inherit)\n");
                }
                if (c.getKey().equals("level")) {
                    if (level == null) {
                        return AdminResponse.text(400, "level=inherit applies to one logger only\n");
                    }
                    for (Logger l : ctx.getLoggerList()) {
                        if (l.getLevel() != null || l.getName().equals(Logger.ROOT_LOGGER_NAME)) {
                            l.setLevel(level);
                        }
                    }
                    log.info("admin: all loggers set to {}", level);
                } else {
                    String name = c.getKey().equalsIgnoreCase("root") ? Logger.ROOT_LOGGER_NAME : c.getKey();
                    if (level == null && name.equals(Logger.ROOT_LOGGER_NAME)) {
                        return AdminResponse.text(400, "the root logger cannot inherit\n");
                    }
                    ctx.getLogger(name).setLevel(level);
                    log.info("admin: logger {} set to {}", name, level == null ? "inherit" : level);
                }
            }
        }
        return list(ctx, request.wantsJson());
    }

    private static AdminResponse list(LoggerContext ctx, boolean json) {
        List<Logger> loggers = new ArrayList<>(ctx.getLoggerList());
        loggers.sort((a, b) -> a.getName().equals(Logger.ROOT_LOGGER_NAME) ? -1
                : b.getName().equals(Logger.ROOT_LOGGER_NAME) ? 1 : a.getName().compareTo(b.getName()));
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Logger l : loggers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("level", l.getLevel() == null ? null : name(l.getLevel()));
                m.put("effective", name(l.getEffectiveLevel()));
                out.put(l.getName(), m);
            }
            return AdminResponse.json(200, Map.of("loggers", out));
        }
        StringBuilder sb = new StringBuilder("active loggers:\n");
        for (Logger l : loggers) {
            sb.append("  ").append(l.getName()).append(": ").append(name(l.getEffectiveLevel()));
            if (l.getLevel() == null) {
                sb.append(" (inherited)");
            }
            sb.append('\n');
        }
        return AdminResponse.text(200, sb.toString());
    }

    private static String name(Level l) {
        return l.toString().toLowerCase(Locale.ROOT);
    }

    private static Level parse(String name) {
        return switch (name) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error", "critical" -> Level.ERROR;
            case "off" -> Level.OFF;
            default -> null;
        };
    }
}
