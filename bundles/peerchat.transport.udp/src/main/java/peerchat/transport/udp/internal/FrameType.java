package peerchat.transport.udp.internal;

/** The datagram types of wire format v1; any other type byte is rejected by a v1 receiver. */
enum FrameType {
    /** A message: header followed by UTF-8 text. */
    DATA(0x01),
    /** Acknowledges one DATA, echoing its session id and message id. */
    ACK(0x02);

    final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type for a wire code, or null when v1 does not know it. */
    static FrameType ofCode(int code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
