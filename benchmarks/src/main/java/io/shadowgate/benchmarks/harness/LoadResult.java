package io.shadowgate.benchmarks.harness;

import java.util.HashMap;
import java.util.Map;

/**
 * What one load run measured. Both wrk (through the Lua {@code done} hook the harness writes) and
 * {@link io.shadowgate.benchmarks.load.OpenLoop} print one line
 * {@code RESULT requests=N duration_us=N errors=N p50_us=X p90_us=X p99_us=X p999_us=X max_us=X mean_us=X}, parsed
 * here.
 *
 * @param requests   completed requests (any status)
 * @param seconds    measured duration
 * @param errors     socket errors, timeouts and non-2xx/3xx answers
 * @param p50Micros  median latency
 * @param p90Micros  90th percentile
 * @param p99Micros  99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros  maximum
 */
record LoadResult(long requests, double seconds, long errors, double p50Micros, double p90Micros, double p99Micros,
                  double p999Micros, double maxMicros) {

    double rps() {
        return seconds <= 0 ? 0 : requests / seconds;
    }

    /** Parses the {@code RESULT} line in {@code output}; null when there is none. */
    static LoadResult parse(String output) {
        for (String line : output.split("\n")) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> kv = new HashMap<>();
            for (String part : line.substring(7).trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    kv.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            long errors = 0;
            for (String k : new String[] {"errors", "connect", "read", "write", "status", "timeout"}) {
                errors += (long) Double.parseDouble(kv.getOrDefault(k, "0"));
            }
            return new LoadResult(
                    (long) Double.parseDouble(kv.getOrDefault("requests", "0")),
                    Double.parseDouble(kv.getOrDefault("duration_us", "0")) / 1e6,
                    errors,
                    Double.parseDouble(kv.getOrDefault("p50_us", "0")),
                    Double.parseDouble(kv.getOrDefault("p90_us", "0")),
                    Double.parseDouble(kv.getOrDefault("p99_us", "0")),
                    Double.parseDouble(kv.getOrDefault("p999_us", "0")),
                    Double.parseDouble(kv.getOrDefault("max_us", "0")));
        }
        return null;
    }
}
