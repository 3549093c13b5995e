package peerchat.shell.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The TO of {@code chat:send}: one name or comma-separated names, in the order given. */
final class RecipientList {

    private RecipientList() {
    }

    /**
     * Names trimmed, duplicates (ignoring case, as the roster does) dropped.
     *
     * @throws IllegalArgumentException for an empty list or an empty name between commas
     */
    static List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no recipient given");
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty name in recipient list: " + text);
            }
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }
}
