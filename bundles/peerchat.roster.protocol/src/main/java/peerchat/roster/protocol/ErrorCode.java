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
    NAME_TAKEN(5),
    /** More frames than the per-connection request rate allows. */
    TOO_MANY_REQUESTS(6),
    /** Too many connections from this source IP address. */
    TOO_MANY_CONNECTIONS(7),
    /** The server holds as many clients as it is configured for. */
    SERVER_FULL(8),
    /** No HELLO within the handshake time, or a logged-in client silent for longer than the heartbeat timeout. */
    TIMEOUT(9),
    /** A status text longer than 140 characters or with control characters. */
    BAD_STATUS(10);

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
