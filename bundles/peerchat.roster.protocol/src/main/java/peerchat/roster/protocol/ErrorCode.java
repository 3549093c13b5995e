package peerchat.roster.protocol;

/** Why a side sends an ERROR frame before it closes the connection. */
public enum ErrorCode {
    /** A code this side does not know; the message still explains it. */
    OTHER(0),
    /** Malformed or unexpected frame (bad magic, unknown type, truncated field, bad UTF-8...). */
    PROTOCOL_ERROR(1),
    /** The HELLO carries a protocol version this side does not speak. */
    UNSUPPORTED_VERSION(2),
    /** A length prefix above {@link Protocol#MAX_FRAME_LENGTH}. */
    FRAME_TOO_LARGE(3),
    /** The name is not 1 to 32 letters, digits, '.', '_' or '-'. */
    BAD_NAME(4),
    /** Someone else is online with this name (compared case-insensitively). */
    NAME_TAKEN(5);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error with this code; {@link #OTHER} for codes of a newer protocol revision. */
    public static ErrorCode of(int code) {
        for (ErrorCode error : values()) {
            if (error.code == code) {
                return error;
            }
        }
        return OTHER;
    }
}
