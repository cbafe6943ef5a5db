package org.fastdowntime.worker.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.fastdowntime.time.Durations;

/**
 * The YAML mapper of the worker's config: an unknown key is an error (a typo is never silently ignored), and a
 * duration is read as people write it (500ms, 5s, 2m, 1h, 1d or ISO-8601), never negative.
 */
final class ConfigYaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("durations").addDeserializer(Duration.class, new DurationReader()));

    private ConfigYaml() {}

    /** Reads durations through {@link Durations#parse}: a bad one fails at its key. */
    static final class DurationReader extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            Duration d;
            try {
                d = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
            if (d.isNegative()) {
                throw JsonMappingException.from(p, "must not be negative");
            }
            return d;
        }
    }

    /** What a mapping problem says: a key that is not one lists those that are (and {@code alsoKnown}). */
    static String messageOf(JsonMappingException e, List<String> alsoKnown) {
        if (e instanceof UnrecognizedPropertyException u) {
            TreeSet<String> known = new TreeSet<>(alsoKnown);
            u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            String guess = closest(u.getPropertyName(), known);
            return "not a key here" + (guess == null ? "" : "; did you mean '" + guess + "'?") + " (known: "
                    + String.join(", ", known) + ")";
        }
        return e.getOriginalMessage();
    }

    /** The known key nearest to {@code typed}, when it is near enough to be a slip (at most a third of it). */
    static String closest(String typed, java.util.Collection<String> known) {
        LevenshteinDistance distance = new LevenshteinDistance(Math.max(1, typed.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance.apply(typed.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d >= 0 && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    static String messageOf(JsonMappingException e) {
        return messageOf(e, List.of());
    }

    /** Where in the file a mapping problem is, as its keys: {@code environments.production.budgets.qaLead}. */
    static String keyOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
