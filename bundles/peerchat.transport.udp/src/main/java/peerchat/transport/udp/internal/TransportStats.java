package peerchat.transport.udp.internal;

/**
 * A snapshot of the transport's counters (for a later {@code chat:stats}).
 *
 * @param sent messages handed to the network for the first time
 * @param retransmitted repeated DATA transmissions
 * @param delivered sends acknowledged by the peer
 * @param failed sends that completed FAILED (any reason)
 * @param received new messages accepted for delivery to listeners
 * @param duplicatesDropped DATA copies already accepted before (acknowledged again, not delivered)
 * @param malformedDropped datagrams that were not valid v1 frames
 * @param acksSent ACK datagrams sent
 * @param acksReceived ACK datagrams received that matched a pending send
 * @param staleAcks ACKs for no pending send (late, duplicate, or from an earlier session)
 * @param deliveryQueueFull DATA not accepted because listeners were too far behind (not acknowledged, so retransmitted)
 * @param listenerFailures exceptions thrown by message listeners
 * @param ioErrors failed socket sends or receives
 */
record TransportStats(long sent, long retransmitted, long delivered, long failed, long received,
        long duplicatesDropped, long malformedDropped, long acksSent, long acksReceived, long staleAcks,
        long deliveryQueueFull, long listenerFailures, long ioErrors) {
}
