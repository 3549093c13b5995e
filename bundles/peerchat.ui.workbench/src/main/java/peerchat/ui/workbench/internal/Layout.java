package peerchat.ui.workbench.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What the window remembers across restarts: bounds, maximized, the sash weights and the selected
 * view of each area. Stored as a properties file in the bundle's data area (written off the UI thread).
 */
record Layout(int x, int y, int width, int height, boolean maximized, int[] columns, int[] rows,
        Map<String, String> selected) {

    static final Layout NONE = new Layout(0, 0, 0, 0, false, new int[0], new int[0], Map.of());

    Layout {
        selected = Map.copyOf(selected);
    }

    boolean hasBounds() {
        return width > 100 && height > 100;
    }

    Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("bounds", x + "," + y + "," + width + "," + height);
        properties.setProperty("maximized", Boolean.toString(maximized));
        properties.setProperty("columns", join(columns));
        properties.setProperty("rows", join(rows));
        selected.forEach((area, view) -> properties.setProperty("selected." + area, view));
        return properties;
    }

    /** Whatever cannot be read is left out: a damaged file means the default layout, not a failure. */
    static Layout of(Properties properties) {
        int[] bounds = ints(properties.getProperty("bounds", ""));
        Map<String, String> selected = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("selected.")) {
                selected.put(key.substring("selected.".length()), properties.getProperty(key));
            }
        }
        return new Layout(at(bounds, 0), at(bounds, 1), at(bounds, 2), at(bounds, 3),
                Boolean.parseBoolean(properties.getProperty("maximized")), ints(properties.getProperty("columns", "")),
                ints(properties.getProperty("rows", "")), selected);
    }

    private static int at(int[] values, int index) {
        return values.length == 4 ? values[index] : 0;
    }

    private static String join(int[] values) {
        return String.join(",", Arrays.stream(values).mapToObj(Integer::toString).toList());
    }

    private static int[] ints(String text) {
        if (text.isBlank()) {
            return new int[0];
        }
        try {
            return Arrays.stream(text.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            return new int[0];
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Layout layout && x == layout.x && y == layout.y && width == layout.width
                && height == layout.height && maximized == layout.maximized && Arrays.equals(columns, layout.columns)
                && Arrays.equals(rows, layout.rows) && selected.equals(layout.selected);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(columns) * 31 + Arrays.hashCode(rows) + selected.hashCode() + x + y + width + height;
    }

    @Override
    public String toString() {
        return toProperties().toString();
    }
}
