package org.fastdowntime.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fastdowntime.env.Budgets;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.time.Durations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/configuration.md against the config classes: it names every key the worker reads and no other,
 * and gives each budget's and each monthly timing's default as the code has it.
 */
@Tag("unit")
class ConfigReferenceTest {
    static final Path DOC =
            Path.of(System.getProperty("fastdowntime.patches")).resolveSibling("docs/reference/configuration.md");

    /** Every key the config's classes read, as a dotted path ({@code NAME} for a map's key, {@code []} a list's). */
    static Map<String, String> keys() {
        Map<String, String> keys = new TreeMap<>();
        walk(RawConfig.class, "", keys);
        keys.keySet().removeIf(k -> k.equals("monthly") || k.equals("environments.NAME.budgets"));
        for (RecordComponent c : Budgets.class.getRecordComponents()) {
            keys.put("environments.NAME.budgets." + c.getName(), defaultOf(c, Budgets.defaults()));
        }
        walk(RawConfig.RawMonthly.class, "monthly.NAME.", keys);
        for (RecordComponent c : MonthlySettings.Timing.class.getRecordComponents()) {
            keys.put("monthly.NAME." + c.getName(), defaultOf(c, MonthlySettings.Timing.defaults()));
        }
        return keys;
    }

    private static void walk(Class<?> record, String prefix, Map<String, String> keys) {
        for (RecordComponent c : record.getRecordComponents()) {
            String key = prefix + c.getName();
            Type t = c.getGenericType();
            Class<?> raw = c.getType();
            if (raw.isRecord()) {
                walk(raw, key + ".", keys);
            } else if (t instanceof ParameterizedType p
                    && raw == List.class
                    && isRecord(p.getActualTypeArguments()[0])) {
                walk((Class<?>) p.getActualTypeArguments()[0], key + "[].", keys);
            } else if (t instanceof ParameterizedType p
                    && raw == Map.class
                    && isRecord(p.getActualTypeArguments()[1])) {
                walk((Class<?>) p.getActualTypeArguments()[1], key + ".NAME.", keys);
            } else {
                keys.put(key, "");
            }
        }
    }

    private static boolean isRecord(Type t) {
        return t instanceof Class<?> c && c.isRecord();
    }

    private static String defaultOf(RecordComponent c, Object defaults) {
        try {
            Object v = c.getAccessor().invoke(defaults);
            return v instanceof Duration d ? Durations.format(d) : String.valueOf(v);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The reference's rows: key → its default column. */
    static Map<String, String> documented() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\| ([^|]*) \\|").matcher(Files.readString(DOC));
        while (m.find()) {
            rows.put(m.group(1), m.group(2).strip().replace("`", ""));
        }
        return rows;
    }

    @Test
    void theReferenceNamesEveryKeyAndNoOther() throws Exception {
        assertEquals(
                String.join("\n", keys().keySet()),
                String.join("\n", documented().keySet()));
    }

    @Test
    void theReferenceGivesTheDefaultsTheCodeHas() throws Exception {
        Map<String, String> documented = documented();
        keys().forEach((key, value) -> {
            if (!value.isEmpty()) {
                assertEquals(value, documented.get(key), "the default of " + key);
            }
        });
    }
}
