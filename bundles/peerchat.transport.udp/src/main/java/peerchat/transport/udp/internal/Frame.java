package peerchat.transport.udp.internal;

/**
 * One decoded datagram. {@code sessionId} is the session of the peer that sent the DATA (an ACK
 * echoes it), {@code messageId} its per-destination sequence number; {@code text} is empty for ACK.
 */
record Frame(FrameType type, int flags, int sessionId, long messageId, String text) {

    static Frame data(int sessionId, long messageId, String text) {
        return new Frame(FrameType.DATA, 0, sessionId, messageId, text);
    }

    static Frame ack(int sessionId, long messageId) {
        return new Frame(FrameType.ACK, 0, sessionId, messageId, "");
    }
}
