package peerchat.roster.protocol;

import java.util.Locale;

/** User names: what is allowed and how they are compared. */
public final class Names {

    public static final int MAX_LENGTH = 32;

    /** The rule in words, for error messages. */
    public static final String RULE = "a name is 1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-'";

    private Names() {
    }

    /**
     * True for 1 to 32 ASCII letters, digits, '.', '_' or '-'. ASCII only, so that case-insensitive
     * comparison is the same everywhere and the names fit the legacy line format (which uses ':'
     * and '!' as separators).
     */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The key under which names are unique: "Alice" and "ALICE" are the same user. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The readable refusal for a name that {@link #isValid} rejects. */
    public static String badNameMessage(String name) {
        return "bad name " + quote(name) + ": " + RULE;
    }

    /**
     * A name as it may appear in a message or log: quoted, cut at 40 characters and with control
     * characters escaped, because it came from the network.
     */
    public static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(name.length(), 40);
        for (int i = 0; i < limit; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (name.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
