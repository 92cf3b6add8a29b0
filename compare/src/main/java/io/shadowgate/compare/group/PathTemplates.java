package io.shadowgate.compare.group;

/**
 * Turns a concrete request path into a template by replacing id-like segments with {@code {id}}.
 *
 * <p>A segment is id-like when it is (checked in this order):
 * <ol>
 *   <li>all decimal digits ({@code 123});</li>
 *   <li>a UUID ({@code 550e8400-e29b-41d4-a716-446655440000});</li>
 *   <li>a hex string of at least 16 characters with at least one digit ({@code 5f2b9c0d1e3a4b6c});</li>
 *   <li>a base64/base64url-like token of at least 20 characters from {@code [A-Za-z0-9_=+-]} that
 *       mixes letters and digits ({@code dGhpcyBpcyBhIHRva2VuMTIz});</li>
 *   <li>at least 6 characters from {@code [A-Za-z0-9_.:-]} of which more than half are digits
 *       ({@code 2024-01-15}, {@code ord_00017}; not {@code sha256}).</li>
 * </ol>
 * Everything else (including {@code v1}, {@code api}, {@code items}) is kept, because collapsing
 * a real resource name would merge unrelated endpoints. Static methods; thread-safe.
 */
public final class PathTemplates {

    /** Placeholder for an id-like segment. */
    public static final String ID = "{id}";

    /** Templates longer than this are cut, so a hostile path cannot grow memory. */
    public static final int MAX_TEMPLATE_LENGTH = 512;

    private PathTemplates() {
    }

    /**
     * Returns the template of {@code path}: {@code /users/123} becomes {@code /users/{id}}. A query
     * string is dropped; an empty path becomes {@code /}.
     */
    public static String template(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_TEMPLATE_LENGTH) + 8);
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            out.append(isIdLike(segment) ? ID : segment);
            if (slash < 0) {
                break;
            }
            out.append('/');
            start = slash + 1;
            if (out.length() > MAX_TEMPLATE_LENGTH) {
                break;
            }
        }
        if (out.length() > MAX_TEMPLATE_LENGTH) {
            out.setLength(MAX_TEMPLATE_LENGTH - 1);
            out.append('…');
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** Whether a single path segment (or JSON object key) looks like an identifier rather than a name. */
    public static boolean isIdLike(String s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        int digits = 0;
        int letters = 0;
        boolean allHex = true;
        boolean tokenChars = true;
        boolean idChars = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (digit) {
                digits++;
            } else if (letter) {
                letters++;
            }
            if (!digit && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                allHex = false;
            }
            if (!digit && !letter && c != '_' && c != '-' && c != '=' && c != '+') {
                tokenChars = false;
            }
            if (!digit && !letter && c != '_' && c != '-' && c != '.' && c != ':') {
                idChars = false;
            }
        }
        if (digits == n) {
            return true;
        }
        if (isUuid(s)) {
            return true;
        }
        if (allHex && n >= 16 && digits > 0) {
            return true;
        }
        if (tokenChars && n >= 20 && digits > 0 && letters > 0) {
            return true;
        }
        return idChars && n >= 6 && digits * 2 > n;
    }

    /** Whether {@code s} is a canonical 8-4-4-4-12 UUID (any case). */
    public static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
