package io.shadowgate.config.model;

/**
 * A place in a configuration source.
 *
 * @param file   the file name as given to the loader, or the source name of a string ({@code built-in})
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record SourceLocation(String file, int line, int column) {

    /** A location that names only the source. */
    public static SourceLocation of(String file) {
        return new SourceLocation(file, 0, 0);
    }

    /** {@code file:line:column}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file == null ? "<unknown>" : file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }
}
