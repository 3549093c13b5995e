package peerchat.roster.protocol;

/** The type byte that follows each frame's length prefix. */
public enum FrameType {
    HELLO(0x01),
    SNAPSHOT(0x02),
    JOINED(0x03),
    LEFT(0x04),
    PRESENCE_CHANGED(0x05),
    ERROR(0x06),
    BYE(0x07),
    PING(0x08),
    PONG(0x09),
    /** Client → server (version 2): my presence and status text changed. */
    SET_PRESENCE(0x0A);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null when there is none (an unknown type is a protocol error). */
    public static FrameType of(int code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
