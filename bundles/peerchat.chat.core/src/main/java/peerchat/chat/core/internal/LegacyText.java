package peerchat.chat.core.internal;

/**
 * The chat line format of the original application (LEGACY-PROTOCOL.md): each datagram is
 * {@code NAME: message text}, and the receiver trims it.
 */
final class LegacyText {

    private LegacyText() {
    }

    /** The datagram the original expects from us. */
    static String line(String myName, String text) {
        return myName + ": " + text;
    }

    /**
     * The message text of a datagram from the peer called {@code name}: trimmed like the original
     * does, and without the leading {@code NAME:} (any case) when it is that peer's name; a leading
     * name that is not the sender's stays part of the text. Empty when nothing is left.
     */
    static String text(String datagram, String name) {
        String trimmed = datagram.trim();
        int end = name.length();
        if (!name.isEmpty() && trimmed.length() > end && trimmed.charAt(end) == ':'
                && trimmed.regionMatches(true, 0, name, 0, end)
                && (trimmed.length() == end + 1 || Character.isWhitespace(trimmed.charAt(end + 1)))) {
            return trimmed.substring(end + 1).trim();
        }
        return trimmed;
    }
}
