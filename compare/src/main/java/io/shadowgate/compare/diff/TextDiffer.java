package io.shadowgate.compare.diff;

/** Finds the first differing line of two texts. Static, thread-safe. */
final class TextDiffer {

    /** Characters shown before the first differing character when a long line is windowed. */
    private static final int CONTEXT = 40;

    private TextDiffer() {
    }

    /** Adds one {@link DiffKind#TEXT_CHANGED} at {@code body} when the texts differ. */
    static void compare(String a, String b, DifferenceSink sink) {
        if (a.equals(b)) {
            return;
        }
        int n = Math.min(a.length(), b.length());
        int offset = 0;
        while (offset < n && a.charAt(offset) == b.charAt(offset)) {
            offset++;
        }
        // The texts agree up to the offset, so the differing line starts at the same place in both.
        int lineStart = offset == 0 ? 0 : a.lastIndexOf('\n', offset - 1) + 1;
        int line = 1;
        for (int i = 0; i < lineStart; i++) {
            if (a.charAt(i) == '\n') {
                line++;
            }
        }
        sink.add("body", "body:line " + line + ", offset " + offset, DiffKind.TEXT_CHANGED, null,
                lineAt(a, lineStart, offset, sink.maxValueLength()), lineAt(b, lineStart, offset, sink.maxValueLength()));
    }

    /**
     * The differing line; when it is longer than the value bound (minified HTML, one-line XML), a
     * window starting shortly before the offset, so the example shows the difference itself.
     */
    private static String lineAt(String s, int start, int offset, int max) {
        if (start >= s.length()) {
            return null;
        }
        int end = s.indexOf('\n', start);
        if (end < 0) {
            end = s.length();
        }
        if (end > start && s.charAt(end - 1) == '\r') {
            end--;
        }
        if (end - start <= max) {
            return s.substring(start, end);
        }
        int from = Math.max(start, offset - CONTEXT);
        if (from > start && Character.isLowSurrogate(s.charAt(from))) {
            from--;
        }
        String window = s.substring(from, Math.min(end, from + max));
        return from > start ? "…" + window : window;
    }
}
