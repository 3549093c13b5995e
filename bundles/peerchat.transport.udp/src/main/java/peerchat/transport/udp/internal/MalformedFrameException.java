package peerchat.transport.udp.internal;

/** A datagram that is not a valid v1 frame; the message says why, for logs and tests. */
final class MalformedFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFrameException(String reason) {
        super(reason);
    }
}
