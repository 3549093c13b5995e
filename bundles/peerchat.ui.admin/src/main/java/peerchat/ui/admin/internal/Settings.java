package peerchat.ui.admin.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.osgi.service.metatype.AttributeDefinition;

/**
 * Between the text in a form field and the typed value ConfigAdmin stores, for one metatype
 * attribute. Lists (cardinality ≠ 0) are edited as comma-separated text.
 */
final class Settings {

    private Settings() {
    }

    /** The text to show for a stored value, or the attribute's default when there is none. */
    static String text(AttributeDefinition attribute, Dictionary<String, Object> stored) {
        Object value = stored == null ? null : stored.get(attribute.getID());
        if (value == null) {
            String[] defaults = attribute.getDefaultValue();
            return defaults == null ? "" : String.join(", ", defaults);
        }
        if (value instanceof Object[] array) {
            List<String> parts = new ArrayList<>();
            for (Object part : array) {
                parts.add(String.valueOf(part));
            }
            return String.join(", ", parts);
        }
        if (value instanceof java.util.Collection<?> collection) {
            return String.join(", ", collection.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /**
     * The typed value for the text, after the attribute's own validation.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    static Object value(AttributeDefinition attribute, String text) {
        String trimmed = text.strip();
        if (attribute.getCardinality() == 0) {
            return scalar(attribute, trimmed);
        }
        List<String> parts = new ArrayList<>();
        for (String part : trimmed.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        Object[] values = new Object[parts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scalar(attribute, parts.get(i));
        }
        return array(attribute.getType(), values);
    }

    private static Object scalar(AttributeDefinition attribute, String text) {
        String problem = attribute.validate(text);
        if (problem != null && !problem.isEmpty()) {
            throw new IllegalArgumentException(attribute.getName() + ": " + problem);
        }
        try {
            return switch (attribute.getType()) {
                case AttributeDefinition.INTEGER -> Integer.valueOf(text);
                case AttributeDefinition.LONG -> Long.valueOf(text);
                case AttributeDefinition.SHORT -> Short.valueOf(text);
                case AttributeDefinition.BYTE -> Byte.valueOf(text);
                case AttributeDefinition.DOUBLE -> Double.valueOf(text);
                case AttributeDefinition.FLOAT -> Float.valueOf(text);
                case AttributeDefinition.BOOLEAN -> Boolean.valueOf(text);
                case AttributeDefinition.CHARACTER -> {
                    if (text.length() != 1) {
                        throw new IllegalArgumentException(attribute.getName() + ": one character expected");
                    }
                    yield text.charAt(0);
                }
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(attribute.getName() + ": '" + text + "' is not a number", e);
        }
    }

    private static Object array(int type, Object[] values) {
        return switch (type) {
            case AttributeDefinition.INTEGER -> java.util.Arrays.copyOf(values, values.length, Integer[].class);
            case AttributeDefinition.LONG -> java.util.Arrays.copyOf(values, values.length, Long[].class);
            case AttributeDefinition.BOOLEAN -> java.util.Arrays.copyOf(values, values.length, Boolean[].class);
            case AttributeDefinition.DOUBLE -> java.util.Arrays.copyOf(values, values.length, Double[].class);
            default -> java.util.Arrays.stream(values).map(String::valueOf).toArray(String[]::new);
        };
    }

    /** A form's values merged into the stored properties (other keys kept). */
    static void merge(Dictionary<String, Object> into, Map<String, Object> values) {
        values.forEach(into::put);
    }
}
