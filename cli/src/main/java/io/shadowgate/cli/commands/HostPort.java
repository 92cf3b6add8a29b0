package io.shadowgate.cli.commands;

/** {@code HOST:PORT} (or {@code :PORT}, or {@code PORT}) from the command line. */
public record HostPort(String host, int port) {

    /** Parses {@code value}, using {@code defaultHost} when the host is omitted. */
    public static HostPort parse(String value, String defaultHost) {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        String host = colon < 0 ? defaultHost : v.substring(0, colon);
        String port = colon < 0 ? v : v.substring(colon + 1);
        if (host.isEmpty()) {
            host = defaultHost;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new HostPort(host, p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' (expected: HOST:PORT with a port in 0..65535)");
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
