package io.shadowgate.compare.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;

/**
 * JSON rendering of reports (admin API {@code /compare}) and of difference records (JSON lines).
 *
 * <p>Field names are the record component names ({@code compared}, {@code differenceRate},
 * {@code verdictLine}...); instants are ISO-8601 strings; enums are their names. Static, thread-safe
 * (the shared {@link ObjectMapper} is configured once and only used for writing).
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("shadowgate-compare").addSerializer(Instant.class, ToStringSerializer.instance))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ReportJson() {
    }

    /** The report as a JSON document. */
    public static String toJson(ComparisonReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report could not be rendered as JSON: " + e.getMessage(), e);
        }
    }

    /** The report as an indented JSON document. */
    public static String toPrettyJson(ComparisonReport report) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report could not be rendered as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes the report to {@code out} without closing it. */
    public static void writeJson(ComparisonReport report, Writer out) throws IOException {
        MAPPER.writeValue(out, report);
    }

    /** One difference record as a single line of JSON, without the line break. */
    public static String toJsonLine(DifferenceRecord record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
