package peerchat.roster.protocol;

/** Status texts: what a user may say about themselves next to their presence. */
public final class StatusText {

    /** Longest status text, in characters (Unicode code points). */
    public static final int MAX_LENGTH = 140;

    /** The rule in words, for error messages. */
    public static final String RULE = "a status text is at most " + MAX_LENGTH
            + " characters on one line (no control characters)";

    private StatusText() {
    }

    /** True for at most 140 code points and no control characters (no line breaks, no tabs). */
    public static boolean isValid(String status) {
        if (status == null) {
            return false;
        }
        if (status.codePointCount(0, status.length()) > MAX_LENGTH) {
            return false;
        }
        return status.codePoints().noneMatch(Character::isISOControl);
    }

    /** The readable refusal for a text that {@link #isValid} rejects. */
    public static String badStatusMessage(String status) {
        int length = status == null ? 0 : status.codePointCount(0, status.length());
        return "bad status text (" + length + " characters): " + RULE;
    }
}
