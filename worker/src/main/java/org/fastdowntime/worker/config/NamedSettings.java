package org.fastdowntime.worker.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fastdowntime.env.Records;

/**
 * Settings written by the names of a record's components ({@code budgets: {qaLead: 30m}}, a monthly's timing):
 * each read as its component's type, a name that is no component or a bad value a problem at its key. What the
 * reader returns is applied with {@link Records#with} onto the defaults, so no reader lists the settings.
 */
final class NamedSettings {
    private NamedSettings() {}

    static Map<String, Object> read(
            String key, Map<String, JsonNode> raw, Class<? extends Record> type, String what, Problems problems) {
        Map<String, Object> given = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            Class<?> component = Records.typeOf(type, name);
            if (component == null) {
                String guess = ConfigYaml.closest(name, Records.names(type));
                problems.add(
                        key + "." + name,
                        "not a " + what + (guess == null ? "" : "; did you mean '" + guess + "'?") + " ("
                                + String.join(", ", Records.names(type)) + ")");
                return;
            }
            try {
                Class<?> boxed = component == int.class ? Integer.class : component;
                given.put(name, ConfigYaml.MAPPER.convertValue(value, boxed));
            } catch (IllegalArgumentException e) {
                problems.add(key + "." + name, rootMessage(e));
            }
        });
        return given;
    }

    /** The reader's own message ("not a duration: …"), without Jackson's location. */
    private static String rootMessage(IllegalArgumentException e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        return t instanceof JsonMappingException m ? m.getOriginalMessage() : t.getMessage();
    }
}
