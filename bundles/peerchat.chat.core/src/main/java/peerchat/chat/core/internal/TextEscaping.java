package peerchat.chat.core.internal;

/**
 * Escapes a field for a tab-separated line: backslash, tab, newline and carriage return get
 * backslash codes; other control characters and unpaired surrogates become {@code \}{@code uXXXX} so
 * every line is valid UTF-8 and round-trips exactly. Everything else (accents, emoji) stays as is.
 */
final class TextEscaping {

    private TextEscaping() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException for a dangling or unknown escape */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= field.length()) {
                throw new IllegalArgumentException("dangling backslash at the end of a field");
            }
            char code = field.charAt(++i);
            switch (code) {
                case '\\' -> out.append('\\');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    if (i + 4 >= field.length()) {
                        throw new IllegalArgumentException("truncated \\u escape");
                    }
                    out.append((char) parseHex(field.substring(i + 1, i + 5)));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + code);
            }
        }
        return out.toString();
    }

    private static int parseHex(String digits) {
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("bad \\u escape: \\u" + digits);
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
