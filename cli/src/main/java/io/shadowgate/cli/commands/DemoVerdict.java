package io.shadowgate.cli.commands;

import io.shadowgate.compare.report.ComparisonReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.RouteReport;
import io.shadowgate.compare.report.Verdict;
import java.io.PrintStream;

/**
 * The demo's last lines: each route's verdict, where the eye lands after the report, and why a route can FAIL while
 * its groups say INSUFFICIENT_DATA (the route's verdict counts all its comparisons; each group, one method and path
 * template, needs the minimum number of its own).
 */
final class DemoVerdict {

    private DemoVerdict() {
    }

    static void print(ComparisonReport report, PrintStream out) {
        if (report.routes().isEmpty()) {
            out.println("Verdict: INSUFFICIENT_DATA (nothing was compared)");
            return;
        }
        boolean groupsShort = false;
        for (RouteReport route : report.routes()) {
            for (GroupReport g : report.groups()) {
                if (g.route().equals(route.route()) && g.verdict() == Verdict.INSUFFICIENT_DATA
                        && route.verdict() != Verdict.INSUFFICIENT_DATA) {
                    groupsShort = true;
                }
            }
        }
        if (groupsShort) {
            out.println("Note: a route's verdict counts all of its compared requests; each group (one method and "
                    + "path) needs the minimum number of comparisons of its own, so a group can show "
                    + "INSUFFICIENT_DATA while its route has enough to decide.");
        }
        for (RouteReport route : report.routes()) {
            out.println("Verdict: " + route.verdict() + "  " + route.route() + ": " + route.verdictLine());
        }
    }
}
