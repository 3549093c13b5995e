package peerchat.transport.udp.internal;

/**
 * One decoded datagram. {@code session} names the DATA stream the frame belongs to (chosen by the
 * stream's sender, echoed in ACKs); {@code incarnation} is the random id of the engine that sent
 * this datagram, so a peer notices a restart.
 */
sealed interface Frame permits Frame.Data, Frame.Ack, Frame.Ping {

    int session();

    int incarnation();

    /**
     * Packet {@code seq} of a stream; {@code payload} holds whole, already validated chunks;
     * {@code ackNow}: the sender asks for an immediate ACK ({@link FrameCodec#FLAG_ACK_NOW});
     * {@code piggybackOk}: the sender accepts included ACKs ({@link FrameCodec#FLAG_PIGGYBACK_OK});
     * {@code ack}: the included ACK of the receiver's own stream (its session is that stream's, its
     * incarnation this datagram's, echo 0), or null ({@link FrameCodec#FLAG_ACK_INCLUDED}).
     */
    record Data(int session, int incarnation, long seq, byte[] payload, boolean ackNow, boolean piggybackOk,
            Ack ack) implements Frame {
    }

    /**
     * Everything up to {@code cumulative} arrived, and the packets in {@code ranges} (pairs of first
     * and last seq, ascending, all above cumulative + 1); the receiver takes packets up to
     * {@code cumulative + window}. {@code echo} repeats a PING's timestamp, 0 if not answering one.
     */
    record Ack(int session, int incarnation, long cumulative, int window, long echo, long[] ranges)
            implements Frame {

        int rangeCount() {
            return ranges.length / 2;
        }
    }

    record Ping(int session, int incarnation, long timestamp) implements Frame {
    }
}
