package org.fastdowntime.env;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Settings records read and copied by name: the names people write in the config are the records' component
 * names, so a new setting is one component and its default, and the config's reader lists nothing.
 */
public final class Records {
    private Records() {}

    /** Every component's name, in order. */
    public static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }

    /** The type of the component {@code name}, or null for no such component. */
    public static Class<?> typeOf(Class<? extends Record> type, String name) {
        return Arrays.stream(type.getRecordComponents())
                .filter(c -> c.getName().equals(name))
                .map(RecordComponent::getType)
                .findFirst()
                .orElse(null);
    }

    /**
     * A copy of {@code base} with the components {@code changes} names set to its values; the others as they are.
     *
     * @throws IllegalArgumentException for a name that is no component, or a value of the wrong type
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R base, Map<String, ?> changes) {
        Class<R> type = (Class<R>) base.getClass();
        for (String name : changes.keySet()) {
            if (typeOf(type, name) == null) {
                throw new IllegalArgumentException("no setting named '" + name + "'");
            }
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName();
                types[i] = components[i].getType();
                args[i] = changes.containsKey(name)
                        ? changes.get(name)
                        : components[i].getAccessor().invoke(base);
            }
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " " + changes.keySet() + ": " + e, e);
        }
    }
}
