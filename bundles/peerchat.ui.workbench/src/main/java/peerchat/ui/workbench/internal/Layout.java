package peerchat.ui.workbench.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import peerchat.ui.api.ViewArea;

/**
 * What the window remembers across restarts: bounds, maximized, the sash weights, the selected view of
 * each area, the views the user closed and the area each view the user moved went to (by view id, so
 * that a view whose bundle comes back later finds its place). Stored as a properties file in the
 * bundle's data area (written off the UI thread); a file without the keys of the views reads as "all
 * open, each in its own area".
 */
record Layout(int x, int y, int width, int height, boolean maximized, int[] columns, int[] rows,
        Map<String, String> selected, Set<String> closed, Map<String, ViewArea> moved) {

    static final Layout NONE = new Layout(0, 0, 0, 0, false, new int[0], new int[0], Map.of(), Set.of(), Map.of());

    private static final String SELECTED = "selected.";
    private static final String CLOSED = "closed.";
    private static final String AREA = "area.";

    Layout {
        selected = Map.copyOf(selected);
        closed = Set.copyOf(closed);
        moved = Map.copyOf(moved);
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
        selected.forEach((area, view) -> properties.setProperty(SELECTED + area, view));
        closed.forEach(view -> properties.setProperty(CLOSED + view, "true"));
        moved.forEach((view, area) -> properties.setProperty(AREA + view, area.name()));
        return properties;
    }

    /** Whatever cannot be read is left out: a damaged file means the default layout, not a failure. */
    static Layout of(Properties properties) {
        int[] bounds = ints(properties.getProperty("bounds", ""));
        Map<String, String> selected = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Map<String, ViewArea> moved = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            if (key.startsWith(SELECTED)) {
                selected.put(key.substring(SELECTED.length()), value);
            } else if (key.startsWith(CLOSED) && Boolean.parseBoolean(value)) {
                closed.add(key.substring(CLOSED.length()));
            } else if (key.startsWith(AREA) && isArea(value)) {
                moved.put(key.substring(AREA.length()), ViewArea.valueOf(value));
            }
        }
        return new Layout(at(bounds, 0), at(bounds, 1), at(bounds, 2), at(bounds, 3),
                Boolean.parseBoolean(properties.getProperty("maximized")), ints(properties.getProperty("columns", "")),
                ints(properties.getProperty("rows", "")), selected, closed, moved);
    }

    private static boolean isArea(String name) {
        return Arrays.stream(ViewArea.values()).anyMatch(area -> area.name().equals(name));
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
                && Arrays.equals(rows, layout.rows) && selected.equals(layout.selected) && closed.equals(layout.closed)
                && moved.equals(layout.moved);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(columns) * 31 + Arrays.hashCode(rows) + selected.hashCode() + closed.hashCode()
                + moved.hashCode() + x + y + width + height;
    }

    @Override
    public String toString() {
        return toProperties().toString();
    }
}
