package peerchat.store.sqlite.internal;

/**
 * The store's one definition of "ignoring case": every code point is mapped to
 * {@code toLowerCase(toUpperCase(cp))}, as {@link String#regionMatches(boolean, int, String, int, int)}
 * compares. It keeps the number of code points, so "text contains query ignoring case" is exactly
 * {@code fold(text).contains(fold(query))}. The folded text is stored beside the text and indexed,
 * so the trigram index and the LIKE scan for short queries agree with it (SQLite's own LIKE folds
 * ASCII only, the FTS5 tokenizer its own Unicode table).
 */
final class TextFold {

    private TextFold() {
    }

    static String fold(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return folded.toString();
    }

    static boolean contains(String text, String query) {
        return fold(text).contains(fold(query));
    }

    /** A LIKE pattern matching any text that contains {@code literal}, with {@code \} as the escape. */
    static String likeContains(String literal) {
        StringBuilder pattern = new StringBuilder(literal.length() + 2).append('%');
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }

    /** An FTS5 query for the literal string: one phrase, double quotes doubled. */
    static String ftsPhrase(String literal) {
        return '"' + literal.replace("\"", "\"\"") + '"';
    }
}
