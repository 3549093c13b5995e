package peerchat.transport.udp.internal;

/** The datagram types of wire format v2 (docs/PROTOCOL-UDP.md); any other type byte is rejected. */
enum FrameType {
    /** A numbered packet of a session's message stream: chunks of one or more messages. */
    DATA(0x01),
    /** Cumulative and selective acknowledgement of a stream, with the receiver's window. */
    ACK(0x02),
    /** Keep-alive and RTT probe; answered by an ACK that echoes its timestamp. */
    PING(0x03);

    final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type for a wire code, or null when v2 does not know it. */
    static FrameType ofCode(int code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
