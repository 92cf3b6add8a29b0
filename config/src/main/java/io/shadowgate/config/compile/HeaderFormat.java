package io.shadowgate.config.compile;

import io.shadowgate.config.snapshot.HeaderValue;
import io.shadowgate.config.snapshot.RequestView;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles Envoy header-value format strings ({@code %VAR%}, {@code %%}) into {@link HeaderValue}s, validating them
 * as Istio's port of Envoy's parser does ({@code pkg/config/validation/header_value_validator.go}).
 *
 * <p>Supported variables: {@code %DOWNSTREAM_REMOTE_ADDRESS%}, {@code %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%},
 * {@code %REQ(name)%} (also {@code %REQ(name?alternative)%} and a {@code :maxLength} suffix), {@code %PROTOCOL%},
 * {@code %HOSTNAME%} and {@code %START_TIME%} (ISO-8601 UTC with milliseconds, or {@code %START_TIME(format)%}
 * with strftime specifiers {@code %Y %m %d %H %M %S %y %j %e %T %F %z %Z %s %f %1f..%9f %E1S..%E9S %%}). Anything
 * else is an error when compiling: a value Shadowgate cannot produce must not silently become empty.
 */
final class HeaderFormat {

    private HeaderFormat() {
    }

    /** One piece of a formatted value. */
    private interface Part {
        void append(StringBuilder sb, RequestView r);
    }

    /**
     * Compiles {@code value}.
     *
     * @throws IllegalArgumentException naming the offending position or variable
     */
    static HeaderValue parse(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException("header value contains a control character at position " + i);
            }
        }
        if (value.indexOf('%') < 0) {
            return HeaderValue.literal(value);
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && value.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            int j = i + 1;
            while (j < n && (Character.isUpperCase(value.charAt(j)) || Character.isDigit(value.charAt(j))
                    || value.charAt(j) == '_')) {
                j++;
            }
            String name = value.substring(i + 1, j);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("unescaped % at position " + i + " (write %% for a literal %)");
            }
            String args = null;
            if (j < n && value.charAt(j) == '(') {
                int close = value.indexOf(')', j);
                if (close < 0) {
                    throw new IllegalArgumentException("missing ) after %" + name + "(");
                }
                args = value.substring(j + 1, close);
                j = close + 1;
            }
            int maxLength = -1;
            if (j < n && value.charAt(j) == ':') {
                int k = j + 1;
                while (k < n && Character.isDigit(value.charAt(k))) {
                    k++;
                }
                if (k == j + 1) {
                    throw new IllegalArgumentException("expected a length after %" + name + ":");
                }
                maxLength = Integer.parseInt(value.substring(j + 1, k));
                j = k;
            }
            if (j >= n || value.charAt(j) != '%') {
                throw new IllegalArgumentException("unterminated variable %" + name + " (expected a closing %)");
            }
            if (literal.length() > 0) {
                String lit = literal.toString();
                parts.add((sb, r) -> sb.append(lit));
                literal.setLength(0);
            }
            parts.add(variable(name, args, maxLength));
            i = j + 1;
        }
        if (parts.isEmpty()) {
            return HeaderValue.literal(literal.toString());
        }
        if (literal.length() > 0) {
            String lit = literal.toString();
            parts.add((sb, r) -> sb.append(lit));
        }
        return new Formatted(value, parts.toArray(new Part[0]));
    }

    private static Part variable(String name, String args, int maxLength) {
        Part p = switch (name) {
            case "DOWNSTREAM_REMOTE_ADDRESS" -> {
                noArgs(name, args);
                yield (sb, r) -> {
                    String ip = r.remoteAddress() == null ? "" : r.remoteAddress();
                    int port = r.remotePort();
                    if (port <= 0) {
                        sb.append(ip);
                    } else if (ip.indexOf(':') >= 0 && !ip.startsWith("[")) {
                        sb.append('[').append(ip).append("]:").append(port);
                    } else {
                        sb.append(ip).append(':').append(port);
                    }
                };
            }
            case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" -> {
                noArgs(name, args);
                yield (sb, r) -> sb.append(r.remoteAddress() == null ? "" : r.remoteAddress());
            }
            case "PROTOCOL" -> {
                noArgs(name, args);
                yield (sb, r) -> sb.append(r.protocol());
            }
            case "HOSTNAME" -> {
                noArgs(name, args);
                String host = Hostname.VALUE;
                yield (sb, r) -> sb.append(host);
            }
            case "START_TIME" -> {
                TimeFormat f = TimeFormat.compile(args == null ? "%Y-%m-%dT%H:%M:%E3SZ" : args);
                yield (sb, r) -> f.append(sb, r.startTimeMillis());
            }
            case "REQ" -> {
                if (args == null || args.isEmpty()) {
                    throw new IllegalArgumentException("%REQ% needs a header name: %REQ(x-request-id)%");
                }
                int q = args.indexOf('?');
                String main = (q < 0 ? args : args.substring(0, q)).toLowerCase(Locale.ROOT);
                String alt = q < 0 ? null : args.substring(q + 1).toLowerCase(Locale.ROOT);
                yield (sb, r) -> {
                    String v = requestHeader(r, main);
                    if (v == null && alt != null) {
                        v = requestHeader(r, alt);
                    }
                    if (v != null) {
                        sb.append(v);
                    }
                };
            }
            default -> throw new IllegalArgumentException("unsupported variable %" + name + "% (Shadowgate supports "
                    + "DOWNSTREAM_REMOTE_ADDRESS, DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT, REQ(name), PROTOCOL, "
                    + "HOSTNAME, START_TIME; write %% for a literal %)");
        };
        if (maxLength < 0) {
            return p;
        }
        if (!name.equals("REQ")) {
            throw new IllegalArgumentException("a :length suffix is only allowed on %REQ(...)%");
        }
        int max = maxLength;
        return (sb, r) -> {
            int start = sb.length();
            p.append(sb, r);
            if (sb.length() - start > max) {
                sb.setLength(start + max);
            }
        };
    }

    private static void noArgs(String name, String args) {
        if (args != null) {
            throw new IllegalArgumentException("%" + name + "% takes no arguments");
        }
    }

    /** Pseudo-headers map to the request line; HTTP/1's Host is Envoy's {@code :authority}. */
    private static String requestHeader(RequestView r, String name) {
        return switch (name) {
            case ":authority", "host" -> r.authority();
            case ":path" -> r.path();
            case ":method" -> r.method();
            case ":scheme" -> r.scheme();
            default -> r.header(name);
        };
    }

    /** A value with variables. */
    private record Formatted(String source, Part[] parts) implements HeaderValue {
        @Override
        public String render(RequestView request) {
            StringBuilder sb = new StringBuilder(source.length() + 16);
            for (Part p : parts) {
                p.append(sb, request);
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return source;
        }
    }

    /** The machine's host name, resolved once (never per request). */
    private static final class Hostname {
        static final String VALUE = resolve();

        private static String resolve() {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "localhost";
            }
        }
    }

    /** A compiled strftime subset, as Envoy's {@code START_TIME(...)} understands it. */
    private static final class TimeFormat {
        private interface Field {
            void append(StringBuilder sb, ZonedDateTime t, long millis);
        }

        private final Field[] fields;

        private TimeFormat(Field[] fields) {
            this.fields = fields;
        }

        void append(StringBuilder sb, long epochMillis) {
            ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
            for (Field f : fields) {
                f.append(sb, t, epochMillis);
            }
        }

        static TimeFormat compile(String fmt) {
            List<Field> out = new ArrayList<>();
            int i = 0;
            while (i < fmt.length()) {
                char c = fmt.charAt(i);
                if (c != '%') {
                    out.add((sb, t, m) -> sb.append(c));
                    i++;
                    continue;
                }
                if (i + 1 >= fmt.length()) {
                    throw new IllegalArgumentException("START_TIME format ends with %");
                }
                char s = fmt.charAt(i + 1);
                int used = 2;
                Field f;
                if (Character.isDigit(s) && i + 2 < fmt.length() && fmt.charAt(i + 2) == 'f') {
                    int digits = s - '0';
                    if (digits < 1) {
                        throw new IllegalArgumentException("START_TIME: %0f is not a valid specifier");
                    }
                    f = (sb, t, m) -> sb.append(fraction(t, digits));
                    used = 3;
                } else if (s == 'E' && i + 3 < fmt.length() && Character.isDigit(fmt.charAt(i + 2))
                        && fmt.charAt(i + 3) == 'S') {
                    int digits = fmt.charAt(i + 2) - '0';
                    f = (sb, t, m) -> {
                        pad(sb, t.getSecond(), 2);
                        if (digits > 0) {
                            sb.append('.').append(fraction(t, digits));
                        }
                    };
                    used = 4;
                } else {
                    f = switch (s) {
                        case 'Y' -> (sb, t, m) -> pad(sb, t.getYear(), 4);
                        case 'y' -> (sb, t, m) -> pad(sb, t.getYear() % 100, 2);
                        case 'm' -> (sb, t, m) -> pad(sb, t.getMonthValue(), 2);
                        case 'd' -> (sb, t, m) -> pad(sb, t.getDayOfMonth(), 2);
                        case 'e' -> (sb, t, m) -> {
                            if (t.getDayOfMonth() < 10) {
                                sb.append(' ');
                            }
                            sb.append(t.getDayOfMonth());
                        };
                        case 'j' -> (sb, t, m) -> pad(sb, t.getDayOfYear(), 3);
                        case 'H' -> (sb, t, m) -> pad(sb, t.getHour(), 2);
                        case 'M' -> (sb, t, m) -> pad(sb, t.getMinute(), 2);
                        case 'S' -> (sb, t, m) -> pad(sb, t.getSecond(), 2);
                        case 'T' -> (sb, t, m) -> {
                            pad(sb, t.getHour(), 2);
                            sb.append(':');
                            pad(sb, t.getMinute(), 2);
                            sb.append(':');
                            pad(sb, t.getSecond(), 2);
                        };
                        case 'F' -> (sb, t, m) -> {
                            pad(sb, t.getYear(), 4);
                            sb.append('-');
                            pad(sb, t.getMonthValue(), 2);
                            sb.append('-');
                            pad(sb, t.getDayOfMonth(), 2);
                        };
                        case 'z' -> (sb, t, m) -> sb.append("+0000");
                        case 'Z' -> (sb, t, m) -> sb.append("UTC");
                        case 's' -> (sb, t, m) -> sb.append(Math.floorDiv(m, 1000));
                        case 'f' -> (sb, t, m) -> sb.append(fraction(t, 9));
                        case '%' -> (sb, t, m) -> sb.append('%');
                        default -> throw new IllegalArgumentException(
                                "START_TIME: unsupported specifier %" + s + " in \"" + fmt + "\"");
                    };
                }
                out.add(f);
                i += used;
            }
            return new TimeFormat(out.toArray(new Field[0]));
        }

        private static String fraction(ZonedDateTime t, int digits) {
            String nanos = String.format(Locale.ROOT, "%09d", t.getNano());
            return nanos.substring(0, Math.min(9, digits));
        }

        private static void pad(StringBuilder sb, int v, int width) {
            String s = Integer.toString(v);
            for (int k = s.length(); k < width; k++) {
                sb.append('0');
            }
            sb.append(s);
        }
    }
}
