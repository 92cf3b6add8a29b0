package io.shadowgate.config.load;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.IstioDeprecated;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The YAML field names of a model record, read from its record components by reflection (including
 * {@link JsonAlias} names), and the "did you mean" suggestion for a name that is not one of them.
 */
final class RecordSchema {

    /** One YAML field. */
    record Field(String name, Type type, String deprecatedUse) {
    }

    private static final Map<Class<?>, RecordSchema> CACHE = new ConcurrentHashMap<>();

    private final Class<?> type;
    private final Map<String, Field> byName;
    private final List<String> suggestable;

    private RecordSchema(Class<?> type) {
        this.type = type;
        Map<String, Field> names = new LinkedHashMap<>();
        List<String> suggest = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            IstioDeprecated dep = c.getAnnotation(IstioDeprecated.class);
            Field f = new Field(c.getName(), c.getGenericType(), dep == null ? null : dep.use());
            names.put(c.getName(), f);
            // @JsonAlias cannot target record components; javac propagates it to the field.
            JsonAlias alias = c.getAnnotation(JsonAlias.class);
            if (alias == null) {
                try {
                    alias = type.getDeclaredField(c.getName()).getAnnotation(JsonAlias.class);
                } catch (NoSuchFieldException e) {
                    alias = null;
                }
            }
            if (alias != null) {
                for (String a : alias.value()) {
                    names.put(a, f);
                }
            }
            if (dep == null) {
                suggest.add(c.getName());
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.suggestable = List.copyOf(suggest);
    }

    /** The schema of {@code recordType}. */
    static RecordSchema of(Class<?> recordType) {
        return CACHE.computeIfAbsent(recordType, RecordSchema::new);
    }

    /** The record type's simple name ({@code HTTPRoute}). */
    String typeName() {
        return type.getSimpleName();
    }

    /** The field called {@code name} (or one of its aliases), or {@code null}. */
    Field field(String name) {
        return byName.get(name);
    }

    /**
     * The known field nearest to {@code unknown} by edit distance, ignoring case, {@code _} and {@code -} (so
     * {@code mirror_percentage} finds {@code mirrorPercentage}); deprecated fields are never suggested. {@code null}
     * when nothing is close enough to be a plausible typo.
     */
    String suggest(String unknown) {
        String u = normalize(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : suggestable) {
            int d = distance(u, normalize(candidate));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, u.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    private static String normalize(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        return IstioSyntax.distance(a, b);
    }
}
